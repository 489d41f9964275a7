"""Partner names and adjectives -> Census country codes: a data table, matched on lower-case
tokens. The United States is never a partner (it is the perspective), see US_WORDS."""

from __future__ import annotations

# (Census code, name as the release prints it, words that name it in text). Order does not
# matter; the matcher prefers the longest phrase ("South Korea" over "Korea").
PARTNERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("0003", "European Union", ("european union", "eu", "e.u.", "european", "the bloc")),
    # Census aggregates the release lists with the countries.
    ("0009", "South and Central America", ("south and central america", "latin america")),
    ("0010", "North America", ("north america",)),
    ("0012", "Europe", ("europe", "europe's")),
    ("0013", "Africa", ("africa",)),
    ("0014", "Pacific Rim", ("pacific rim",)),
    ("0016", "Asia", ("asia",)),
    ("1220", "Canada", ("canada", "canadian", "canadians")),
    ("2010", "Mexico", ("mexico", "mexican", "mexicans")),
    ("5700", "China", ("china", "chinese", "beijing", "people's republic of china")),
    ("5880", "Japan", ("japan", "japanese", "tokyo")),
    ("4280", "Germany", ("germany", "german", "west germany")),
    ("4120", "United Kingdom", ("united kingdom", "britain", "great britain", "british", "u.k.")),
    ("5800", "Korea, South", ("south korea", "korea", "korean", "south korean", "seoul")),
    ("5790", "Korea, North", ("north korea", "north korean")),
    ("5830", "Taiwan", ("taiwan", "taiwanese", "taipei")),
    ("4279", "France", ("france", "french")),
    ("5330", "India", ("india", "indian")),
    ("4759", "Italy", ("italy", "italian")),
    ("4210", "Netherlands", ("netherlands", "the netherlands", "dutch", "holland")),
    ("4419", "Switzerland", ("switzerland", "swiss")),
    ("4190", "Ireland", ("ireland", "irish")),
    ("5520", "Vietnam", ("vietnam", "viet nam", "vietnamese")),
    ("3510", "Brazil", ("brazil", "brazilian")),
    ("5590", "Singapore", ("singapore", "singaporean")),
    ("5570", "Malaysia", ("malaysia", "malaysian")),
    ("4231", "Belgium", ("belgium", "belgian")),
    ("5490", "Thailand", ("thailand", "thai")),
    ("5081", "Israel", ("israel", "israeli")),
    ("5820", "Hong Kong", ("hong kong",)),
    ("5170", "Saudi Arabia", ("saudi arabia", "saudi")),
    ("6021", "Australia", ("australia", "australian")),
    ("5600", "Indonesia", ("indonesia", "indonesian")),
    ("5650", "Philippines", ("philippines", "philippine", "filipino")),
    ("4621", "Russia", ("russia", "russian")),
    ("3070", "Venezuela", ("venezuela", "venezuelan")),
    ("3010", "Colombia", ("colombia", "colombian")),
    ("3370", "Chile", ("chile", "chilean")),
    ("4700", "Spain", ("spain", "spanish")),
    ("4010", "Sweden", ("sweden", "swedish")),
    ("0001", "OPEC", ("opec",)),
)

# Words for the United States: the side the figures are reported from, never a partner.
US_WORDS: frozenset[str] = frozenset(
    {"u.s.", "us", "united states", "america", "american", "americans", "washington", "u.s"}
)
