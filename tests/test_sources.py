"""The registry of plans."""

import pytest

from policylab import list_plans
from policylab.errors import RegistryError
from policylab.sources import get_source, read_registry


def test_registry_lists_each_plan_and_language_edition():
    plans = list_plans()
    assert list(zip(plans.plan_id, plans.language)) == [
        ("us-aap-2025", "en"), ("cn-gaigap-2025", "zh-Hans"), ("cn-gaigap-2025", "en"), ("cn-gaigi-2023", "zh-Hans"),
        ("gb-aiop-2025", "en"), ("cn-aidp-2017", "zh-Hans"), ("cn-aiplus-2025", "zh-Hans"), ("cn-aiplus-2025", "en"),
        ("sg-nais-2023", "en"), ("eu-aica-2025", "en"), ("us-eo14179-2025", "en")]
    us = get_source("us-aap-2025")
    assert us.sha256 == "91d56ab3ddefe43f395bde31e1c3923fb37f47091275aaf2a0d7da500ff547f4"
    assert us.filename == "Americas-AI-Action-Plan.pdf" and us.country == "USA"
    assert get_source("cn-gaigap-2025").language == "zh-Hans"
    assert get_source("cn-gaigap-2025", "en").url_download.startswith("https://www.fmprc.gov.cn/")
    uk = get_source("gb-aiop-2025")
    assert uk.sha256 is None and uk.url_main == uk.url_download and uk.url_main.startswith("https://www.gov.uk/")
    assert get_source("eu-aica-2025").filename == "uri_CELEX_52025DC0165"  # no '?' or ':' in a file name
    assert get_source("us-eo14179-2025").filename == "2025-02172.pdf"
    assert get_source("cn-aidp-2017").filename == "content_5211996.htm"
    translation = get_source("cn-aiplus-2025", "en")  # a translation: not original, its translator named
    assert not translation.original and translation.translator.startswith("Center for Security")
    assert get_source("cn-aiplus-2025").original and get_source("cn-aiplus-2025").translator is None
    assert str(plans.date_published.dtype).startswith("datetime64")


def test_malformed_registry_names_the_entry_and_field(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - plan_id: us-aap-2025\n    language: fr\n")
    with pytest.raises(RegistryError, match="entry 1: missing field"):
        read_registry(path)
    good = {k: v for k, v in vars(get_source("us-aap-2025")).items() if k != "origin"}
    good.update(language="fr", sha256="abc")
    import yaml

    path.write_text(yaml.safe_dump({"sources": [good]}))
    with pytest.raises(RegistryError, match="language 'fr'.*sha256 'abc'"):
        read_registry(path)
    path.write_text("sources: [")
    with pytest.raises(RegistryError, match="not valid YAML"):
        read_registry(path)
