"""What the steps decide from position and neighbours, on small made-up pages."""
import pytest

from cleaner import explain

BODY = [
    "The council met on Tuesday to decide the future of the old swimming pool by the river.",
    "After two hours of debate, a majority voted to renovate it rather than build a new one.",
    "Work will start in the spring and the pool should reopen the following summer, the mayor said.",
]


def labels(text):
    return [(d.label, d.rule_id) for d in explain(text, lang="en").decisions]


def test_headlines_under_a_related_heading_are_teasers_up_to_a_comment_heading():
    text = "\n".join([*BODY, "Related Articles", "New bridge opens downtown", "Library hours extended",
                      "2 Comments", "Anna says:", "Great news for families, thank you."])
    got = labels(text)
    assert [label for label, _ in got[3:6]] == ["teaser", "teaser", "teaser"]
    assert [label for label, _ in got[6:]] == ["comment", "comment", "comment"]
    assert got[6][1] == "common.comment.section-heading"


def test_a_list_heading_known_only_after_the_article_takes_the_headlines_under_it():
    # The heading's rule matches only in the tail, once the zones are settled: the list under it
    # must go as the list under any related-articles heading does.
    text = "\n".join([*BODY, "Most read in Business", "Bakery chain opens ten shops", "Ferry fares to rise in May"])
    got = labels(text)
    assert got[3] == ("teaser", "en.teaser.tail-list-heading")
    assert got[4:] == [("teaser", "pos.teaser.under-list-heading")] * 2


def test_a_thread_heading_known_only_after_the_article_takes_the_thread_under_it():
    text = "\n".join([*BODY, *BODY[::-1], "Responses", "Anna", "Good to see it at last."])
    got = labels(text)
    assert got[6] == ("comment", "common.comment.tail-heading")
    assert got[7:] == [("comment", "pos.comment.under-comment-heading")] * 2


def test_a_comment_heading_at_the_top_opens_nothing():
    text = "\n".join(["Comments", *BODY])
    assert [label for label, _ in labels(text)[1:]] == ["keep", "keep", "keep"]


def test_what_follows_a_comment_heading_after_enough_text_is_comments():
    more = [line.replace("pool", "library") for line in BODY]
    text = "\n".join([*BODY, *more, "Leave a Reply", "Name", "Nice to see the town invest in it", "Website"])
    got = labels(text)
    assert got[6] == ("comment", "common.comment.prompt")
    assert [label for label, _ in got[7:]] == ["comment"] * 3


def test_a_paragraph_repeated_once_is_a_duplicate_a_refrain_is_not():
    refrain = "Leave the light on in the hall, and wait for me to come home again."
    text = "\n".join([BODY[0], BODY[1], BODY[0], refrain, BODY[2], refrain, refrain])
    got = labels(text)
    assert got[2] == ("duplicate", "pos.duplicate.repeated-paragraph")
    assert [label for label, _ in got[3:]] == ["keep"] * 4


def test_a_dateline_is_joined_to_its_sentence_and_a_title_is_not():
    text = "A title without a full stop\nPARIS (Reuters) —\nThe talks ended early on Friday, officials said."
    result = explain(text, lang="en")
    assert result.text == "A title without a full stop\nPARIS (Reuters) — The talks ended early on Friday, officials said."


@pytest.mark.parametrize("lines, expected", [
    # A command run twice: the second is no continuation of the first.
    (["find / -type f -size +1G", "find / -type f -size +1G"], ["find / -type f -size +1G", "find / -type f -size +1G"]),
    # A sentence broken after "should", then a line that repeats the last half: glued as one paragraph, and
    # the repeat after it too, since it does not start with that paragraph (a second cleaning reads the same).
    (["so then we said that we should", "run the same long command again", "run the same long command again"],
     ["so then we said that we should run the same long command again run the same long command again"]),
    # The paragraph said again, whole, at the start of the next line: two paragraphs.
    (["so then we said that we should run", "the same long command again",
      "so then we said that we should run the same long command again and again."],
     ["so then we said that we should run the same long command again",
      "so then we said that we should run the same long command again and again."]),
])
def test_a_paragraph_that_the_next_line_starts_with_is_not_glued_to_it(lines, expected):
    intro = "The guide explains it all in one go and tells you what to type here:"
    text = "\n".join([intro, *lines]) + "\n"
    cleaned = explain(text, lang="en").text
    assert cleaned == "\n".join([intro, *expected]) + "\n"
    assert explain(cleaned, lang="en").text == cleaned


def test_short_lines_after_a_copyright_line_in_the_tail_are_footer():
    text = "\n".join([*BODY, "© 2024 Example Media", "About us", "Careers", "Newsroom"])
    got = labels(text)
    assert got[3] == ("chrome", "common.chrome.copyright")
    assert [label for label, _ in got[4:]] == ["chrome"] * 3


def test_sentences_after_a_copyright_line_are_text_not_footer():
    # A manual page's COPYRIGHT section, its text wrapped in short lines, and its next section.
    text = "\n".join([*BODY, "Copyright 2019, 2023 The Tidecalc Authors.", "This is free software; you may copy and change it",
                      "under the terms of the licence that comes with it.", "REPORTING BUGS",
                      "Send bug reports to the mailing list of the project", "with the version you use and the harbour you asked for."])
    got = labels(text)
    assert got[3] == ("chrome", "common.chrome.copyright")
    assert [label for label, _ in got[4:]] == ["keep"] * 5


def test_an_edge_rule_does_not_fire_inside_the_body():
    # "Contact us" is footer furniture after the last paragraph, an ordinary heading inside the text.
    text = "\n".join([BODY[0], "Contact us", BODY[1], BODY[2], "Contact us"])
    got = labels(text)
    assert got[1] == ("keep", None) and got[4][0] == "chrome"


def test_a_line_and_its_copy_glued_alike_are_a_paragraph_and_its_duplicate():
    # Line 5 repeats line 2; line 2 is glued to the next line, so line 5 is no
    # copy of a paragraph until it is glued the same way: then the whole glued
    # copy goes, not the line it took.
    line = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
    text = "\n".join([BODY[0], line, "b c d e.", BODY[1], line, "b c d e.", BODY[2]]) + "\n"
    assert explain(text, lang="en").text == f"{BODY[0]}\n{line} b c d e.\n{BODY[1]}\n{BODY[2]}\n"


#: Short lines above an article, more than fifty words of them, none a paragraph of running text.
NAVIGATION = ["Local news and sport results from the weekend", "Weather for the coming week in the region",
              "Events in the old town this month", "Letters to the editor about the harbour plans",
              "Photos from the summer festival sent by readers", "Opening hours of the public library",
              "Bus timetable changes from next Monday", "Recycling collection dates for every district"]


def test_a_comment_kicker_above_the_article_opens_no_comment_section():
    text = "\n".join([*NAVIGATION, "Comment", "Why the town should keep its old swimming pool", *BODY])
    got = labels(text)
    assert got[len(NAVIGATION)][0] == "comment"
    assert [label for label, _ in got[len(NAVIGATION) + 1:]] == ["keep"] * (1 + len(BODY))


def test_a_counter_of_no_comments_above_the_article_opens_no_comment_section():
    dek = "The council has decided what to do with the pool, and the answer surprised the people who swim there."
    text = "\n".join([*NAVIGATION, "The pool will stay", dek, "0 comments", *BODY])
    got = labels(text)
    counter = len(NAVIGATION) + 2
    assert got[counter][0] == "comment"
    assert [label for label, _ in got[counter + 1:]] == ["keep"] * len(BODY)


def test_a_counter_of_comments_below_the_article_still_opens_the_section():
    text = "\n".join([*BODY, *[line.replace("pool", "library") for line in BODY], "3 comments", "Anna",
                      "Good news for the families who swim there."])
    assert [label for label, _ in labels(text)[6:]] == ["comment"] * 3


@pytest.mark.parametrize("lang, stamp, rule_id", [
    ("de", "Aktualisiert am 05.09.2022.", "de.chrome.stamp"),
    ("en", "Last updated: 5 September 2022.", "en.chrome.update-stamp"),
    ("fr", "Mis à jour le 5 septembre 2022.", "fr.chrome.mise-a-jour"),
    ("es", "Actualizado el 5 de septiembre de 2022.", "es.chrome.actualizado"),
])
def test_a_date_stamp_ending_in_a_full_stop_is_removed(lang, stamp, rule_id):
    result = explain("\n".join([stamp, *BODY]), lang=lang)
    assert (result.decisions[0].label, result.decisions[0].rule_id) == ("chrome", rule_id)
    assert result.text == "\n".join(BODY)


def test_a_thread_without_a_heading_goes_between_its_reply_buttons_and_the_article_stays():
    article = ["Growing tomatoes in a cold summer",
               "The summer here has been cold and wet, and my tomatoes have barely ripened, so this year I tried a few tricks.",
               "First, I moved the pots against the south wall of the house, where the bricks keep the warmth into the evening.",
               "By the end of August, most of the fruit had turned red, and the taste was better than I had feared."]
    thread = ["Jane", "Great post, my tomatoes are still green in July!", "Reply",
              "John Smith", "Thanks for sharing these tips, I will try the south wall of our own house next year.", "Reply",
              "Maria", "Lovely.", "Reply"]
    text = "\n".join(article + thread) + "\n"
    result = explain(text)
    by_line = {d.line: d for d in result.decisions}
    assert all(not by_line[n].removed for n in range(1, len(article) + 1))
    between = range(len(article) + 4, len(article) + len(thread))  # after the first button, up to the last
    assert {by_line[n].rule_id for n in between if by_line[n].text not in ("Reply",)} == {"pos.comment.between-reply-buttons"}
    # The first comment stays: nothing marks where it begins.
    assert result.text == "\n".join(article + ["Jane", "Great post, my tomatoes are still green in July!"]) + "\n"
    assert explain(result.text).text == result.text


def test_reply_lines_that_head_answers_take_no_paragraph_with_them():
    # A letters page: each "Reply" heads the answer under it, and a paragraph follows the last one.
    letters = ["Your letters: the new bus timetable",
               "Readers wrote to us in their dozens about the new bus timetable, which came into force on the first "
               "of the month. Here are three of their letters, with the operator's answers.",
               "The number 12 now leaves the station four minutes before my train arrives. Who planned this?", "Reply",
               "The operator says the 12 will leave six minutes later from next Monday, to meet the 8.14 train.",
               "Why were the Sunday buses cut when the town is busiest on Sundays?", "Reply",
               "Sunday services were cut because too few people used them last winter; they will be reviewed.",
               "Can the night bus stop at the hospital again?", "Reply",
               "Yes: from the first of next month the night bus will call at the hospital's main entrance."]
    result = explain("\n".join(letters) + "\n")
    assert [d.text for d in result.decisions if d.removed] == ["Reply"] * 3
