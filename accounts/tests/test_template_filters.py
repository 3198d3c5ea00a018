"""The portal's small template filters: a user's name and text inside a CSS string."""

from django.template import Context, Template

from accounts.factories import UserFactory


def render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


def test_person_names_a_user_or_says_who_acted_when_no_one_did(db):
    assert render('{{ u|person:"System" }}', u=None) == "System"
    assert render("{{ u|person }}", u=None) == "–"
    assert render("{{ u|person }}", u=UserFactory(username="deki", first_name="", last_name="")) == "deki"
    assert (
        render("{{ u|person }}", u=UserFactory(username="k", first_name="Kinley", last_name="Dorji")) == "Kinley Dorji"
    )


def test_css_string_keeps_text_readable_and_cannot_end_the_string_or_the_style_sheet():
    assert render("{{ v|css_string }}", v="Attrition 2020–2026 · MOH") == "Attrition 2020–2026 · MOH"
    escaped = render("{{ v|css_string }}", v='Say "hi" \\ </style><script>')
    assert '"' not in escaped and "<" not in escaped and ">" not in escaped
    assert escaped.startswith("Say \\22 hi\\22  \\5c  \\3c /style")
    assert render("{{ v|css_string }}", v=None) == ""
