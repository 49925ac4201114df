"""The furniture common site software prints under an article goes, whole, and the article stays."""
import pytest

from cleaner import Cleaner, Config

from .conftest import ROOT

TAILS = sorted((ROOT / "tests" / "templates").glob("*.txt"))

#: An article per language, written for these tests: five lines of running text under a headline.
ARTICLES = {
    "en": ["Growing tomatoes in a cold summer",
           "The summer here has been cold and wet, and my tomatoes have barely ripened, so this year I tried a few tricks that I want to share with you.",
           "First, I moved the pots against the south wall of the house, where the bricks keep the warmth of the day into the evening.",
           "Second, I pinched out the new flowers after the fifth truss, so that the plants put their strength into the fruit that was already there.",
           "By the end of August, most of the fruit had turned red, and the taste was better than I had feared."],
    "de": ["Tomaten in einem kalten Sommer",
           "Der Sommer war hier kalt und nass, und meine Tomaten sind kaum reif geworden, deshalb habe ich in diesem Jahr ein paar Tricks ausprobiert.",
           "Zuerst habe ich die Töpfe an die Südwand des Hauses gestellt, wo die Ziegel die Wärme des Tages bis in den Abend halten.",
           "Dann habe ich die neuen Blüten nach der fünften Rispe ausgebrochen, damit die Pflanzen ihre Kraft in die Früchte stecken.",
           "Ende August waren die meisten Früchte rot, und sie schmeckten besser, als ich befürchtet hatte."],
    "fr": ["Des tomates par un été froid",
           "L'été a été froid et humide ici, et mes tomates ont à peine mûri, alors cette année j'ai essayé quelques astuces que je veux partager avec vous.",
           "D'abord, j'ai placé les pots contre le mur sud de la maison, où les briques gardent la chaleur du jour jusqu'au soir.",
           "Ensuite, j'ai pincé les nouvelles fleurs après le cinquième bouquet, pour que les plantes mettent leur force dans les fruits déjà formés.",
           "À la fin du mois d'août, la plupart des fruits étaient rouges, et le goût était meilleur que je ne le craignais."],
    "es": ["Tomates en un verano frío",
           "El verano ha sido frío y húmedo aquí, y mis tomates apenas han madurado, así que este año probé algunos trucos que quiero compartir con vosotros.",
           "Primero, puse las macetas contra la pared sur de la casa, donde los ladrillos guardan el calor del día hasta la noche.",
           "Después, quité las flores nuevas tras el quinto racimo, para que las plantas pusieran su fuerza en los frutos que ya había.",
           "A finales de agosto, la mayoría de los frutos estaban rojos, y el sabor era mejor de lo que temía."],
}


def test_every_language_has_a_tail():
    assert {p.stem.split("_")[0] for p in TAILS} == set(ARTICLES)


@pytest.mark.parametrize("model", [False, True], ids=["rules", "model"])
@pytest.mark.parametrize("tail", TAILS, ids=lambda p: p.stem)
def test_a_template_tail_goes_and_the_article_stays(tail, model):
    article = ARTICLES[tail.stem.split("_")[0]]
    furniture = tail.read_text(encoding="utf-8").splitlines()
    page = "\n".join([*article, *furniture]) + "\n"
    cleaner = Cleaner(Config(model=model))
    left = [d.text for d in cleaner.explain(page).decisions[len(article):] if not d.removed]
    assert left == []
    assert cleaner.clean(page) == "\n".join(article) + "\n"
