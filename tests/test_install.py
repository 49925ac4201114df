"""The installed package works on its own: rules travel in the wheel."""
import subprocess
import sys


def test_import_from_outside_the_checkout(tmp_path):
    code = (
        "import cleaner, pathlib; "
        "print(pathlib.Path(cleaner.__file__).parent); "
        "print(repr(cleaner.clean('A headline about the harbour\\nThe harbour reopened on Monday after a long winter.\\nRead More')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == repr("A headline about the harbour\nThe harbour reopened on Monday after a long winter.")


def test_explain_and_cleaner_are_exported():
    import pickle

    from cleaner import Cleaner, explain

    result = explain("A headline\nBy Jane Doe March 3, 2022\nThe story in one long sentence, with enough words to be running text.")
    assert result.metadata == {"author": "Jane Doe", "date": "March 3, 2022"}
    assert [d.label for d in result.decisions] == ["keep", "byline", "keep"]
    assert result.lang == "en"
    worker = pickle.loads(pickle.dumps(Cleaner()))
    assert worker.clean("Advertisement\nText that stays because it is the article.") == "Text that stays because it is the article."


def test_every_public_name_is_there_on_first_use(tmp_path):
    code = ("import cleaner, cleaner.chain, cleaner.document; "
            "from cleaner import *; "
            "names = [n for n in cleaner.__all__ if n not in globals()]; "
            "print(names, Cleaner is cleaner.chain.Cleaner, LABELS is cleaner.document.LABELS, "
            "set(cleaner.__all__) <= set(dir(cleaner)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "True", "True", "True"]


def test_the_command_loads_no_rules_before_it_runs(tmp_path):
    """Importing the command is quick, so that a Ctrl-C at once meets its handling, not an import."""
    code = "import sys, cleaner.cli; print(sorted(m for m in ('cleaner.rules', 'cleaner.chain') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
