"""Shapes of lines that are not prose: code and command output, and the entries of a list.

Such lines repeat on purpose (the same import in two examples, the same dish
on two days of a meal plan, the interviewer's label before each question), so
a repeat of one is no duplicate.
"""
from __future__ import annotations

import regex

# What only code and terminals write: a prompt, a statement's first words, an
# assignment, a call or a block at the end of the line, key=value pairs,
# paths, permissions, log stamps.
_CODE = regex.compile(r"""
    ^(?:\$|>>>|\.\.\.|%|PS\s?[A-Z]:\\[^>]*>|[A-Z]:\\[^>]*>|\#>|//|/\*|\*/|<!--)(?:\s|$)
  | ^(?:from\s+[\w.]+\s+import|import\s+[\w.]+|def\s+\w+\s*\(|class\s+\w+\s*[(:]|return\b|\#include\b
       |(?:const|let|var|val|fn|func|function|public|private|static)\s+\w|(?:if|for|while|elif|with)\b.*:$|else:$
       |(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\s+\S|sudo\s|(?:pip|npm|git|docker|apt(?:-get)?|cd|ls|cat|echo)\s)
  | ^[\w.\[\]'"]+\s*(?:[-+*/%|&]?=|:=)\s*\S
  | [\w\])]\([^()]*\)\s*[;:{]?\s*$
  | [;{}]\s*$
  | \b\w+=[^\s=]
  | (?:^|\s)(?:~|\.{1,2})?/[\w.-]+/
  | ^[dlcb-][rwxsStT-]{9}\s
  | ^\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d
  | ^(?:INFO|WARN(?:ING)?|ERROR|DEBUG|TRACE|FATAL)\b
""", regex.X)
# A list item: a bullet or a number, or a label of a few words and a colon
# ("Breakfast:", "Day 3:", "Q:", the interviewer's name).
_ENTRY = regex.compile(r"^(?:[-*•·▪►✓✔+–—]|\d{1,3}[.)]|\(?[a-z\d]\))\s|^(?:[^\s:]+\s){0,3}[^\s:]+\s*:\s*\S")
_CLOSERS = "\"'”’»«)] "
_SENTENCE_ENDS = ".!…。！"
#: A line without a full stop this short is a question, a label or a dish;
#: a longer one is a sentence that lost its mark (a comment, a quote).
ENTRY_WORDS = 20


def is_code(text: str) -> bool:
    """The line reads as code, a command or its output."""
    return bool(_CODE.search(text))


def is_entry(text: str) -> bool:
    """The line reads as an entry of a list, a schedule or an interview rather than as a sentence:
    a bullet or a number, a label and a colon, or a few words without a full stop or an
    exclamation mark at the end (a question, a label, a dish)."""
    if _ENTRY.match(text):
        return True
    bare = text.rstrip(_CLOSERS)
    return not bare or (bare[-1] not in _SENTENCE_ENDS and len(text.split(None, ENTRY_WORDS)) <= ENTRY_WORDS)


def repeats_on_purpose(text: str) -> bool:
    return is_entry(text) or is_code(text)
