"""Text repairs, one function at a time."""

from policylab.parse.normalise import (
    collapse_whitespace,
    compose,
    expand_ligatures,
    fold_fullwidth_alnum,
    join_line_breaks,
    normalise,
    remove_space_before_punctuation,
    strip_footnote_markers,
    whole_word_forms,
    word_forms,
)


def test_fullwidth_letters_and_digits_fold_but_chinese_punctuation_stays():
    assert fold_fullwidth_alnum("２０２５年，ＡＩ治理（测试）。") == "2025年，AI治理（测试）。"


def test_ligatures_whitespace_and_punctuation_spacing():
    assert expand_ligatures("ﬁnancial eﬀort") == "financial effort"
    assert collapse_whitespace(" a\u00a0 b\n\tc\u3000") == "a b c"
    assert remove_space_before_punctuation("models , data ; and ( compute ) .") == "models, data; and (compute)."


def test_line_break_hyphens_keep_real_compounds():
    vocabulary = word_forms(["the regulation of models", "open-weight models"])
    assert join_line_breaks("strict regu-\nlation", vocabulary) == "strict regulation"
    assert join_line_breaks("open-\nweight models", vocabulary) == "open-weight models"
    assert join_line_breaks("a multi-\ntiered plan", vocabulary) == "a multi-tiered plan"
    assert join_line_breaks("memo M-25-\n21 and www.example.org/a-\nb", vocabulary) == \
        "memo M-25-21 and www.example.org/a-b"
    assert join_line_breaks("two\nlines") == "two lines"


def test_guessed_line_break_hyphens_join_broken_words_and_keep_compounds():
    """Gazettes break words the document writes nowhere else: the halves decide."""
    lines = ["rules are hereby re-", "voked by the AI-", "related office; its decision-", "making is a decision",
             "worth making; widget-enabled and widget-", "based tools"]
    vocabulary = whole_word_forms(lines)
    assert "re" not in vocabulary and "voked" not in vocabulary and "decision" in vocabulary
    assert join_line_breaks("\n".join(lines), vocabulary, guess=True) == (
        "rules are hereby revoked by the AI-related office; its decision-making is a decision worth making; "
        "widget-enabled and widget-based tools")
    assert join_line_breaks("hereby re-\nvoked", vocabulary) == "hereby re-voked"  # without guessing: kept


def test_footnote_markers_and_composition():
    assert strip_footnote_markers("as planned.¹² Next[3] step") == "as planned. Next step"
    pipeline = compose(expand_ligatures, collapse_whitespace)
    assert pipeline("  ﬁne \n work ") == "fine work"
    assert normalise("人工智能 治理 ，全球", "zh-Hans") == "人工智能治理，全球"
