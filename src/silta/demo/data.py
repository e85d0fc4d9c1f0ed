"""The demo world: Kela with two benefit teams, two wellbeing services counties, ten
staff, twenty clients with test identity codes (individual number 900-999 only)."""

from __future__ import annotations

import random
from dataclasses import dataclass

DEMO_PASSWORD = "silta-demo-2026"  # noqa: S105 (demo only)

KELA = ("Kela", "FPA")
KELA_UNITS = {
    "kela_east": (
        "Kela, Itäinen ratkaisutiimi, toimeentulotuki",
        "FPA, Östra avgörandeteamet, utkomststöd",
    ),
    "kela_south": (
        "Kela, Eteläinen ratkaisutiimi, toimeentulotuki",
        "FPA, Södra avgörandeteamet, utkomststöd",
    ),
}
ORGANISERS = {
    "13": ("Pohjois-Savon hyvinvointialue", "Norra Savolax välfärdsområde"),
    "04": ("Vantaan ja Keravan hyvinvointialue", "Vanda och Kervo välfärdsområde"),
}
SOCIAL_UNITS = {
    "kuopio_adult": (
        "13",
        "adult_social_work",
        "Aikuissosiaalityö, Kuopio",
        "Socialt arbete för vuxna, Kuopio",
    ),
    "psavo_assistance": (
        "13",
        "social_assistance",
        "Toimeentulotuki, Pohjois-Savo",
        "Utkomststöd, Norra Savolax",
    ),
    "vantaa_adult": (
        "04",
        "adult_social_work",
        "Aikuissosiaalityö, Vantaa",
        "Socialt arbete för vuxna, Vanda",
    ),
    "vantaa_family": (
        "04",
        "child_and_family",
        "Perhesosiaalityö, Vantaa",
        "Familjesocialt arbete, Vanda",
    ),
}

# username, first, last, title, unit key, role, TOTP key (hex, demo only)
USERS = [
    (
        "kela.kasittelija",
        "Anna",
        "Virtanen",
        "Ratkaisuasiantuntija",
        "kela_east",
        "kela_benefit_processor",
    ),
    (
        "kela.neuvoja",
        "Mikko",
        "Korhonen",
        "Palveluasiantuntija",
        "kela_east",
        "kela_service_advisor",
    ),
    ("kela.esihenkilo", "Liisa", "Mäkinen", "Ryhmäpäällikkö", "kela_east", "unit_manager"),
    (
        "kela.etela",
        "Jussi",
        "Nieminen",
        "Ratkaisuasiantuntija",
        "kela_south",
        "kela_benefit_processor",
    ),
    ("sos.tyontekija", "Sari", "Heikkinen", "Sosiaalityöntekijä", "kuopio_adult", "social_worker"),
    ("sos.ohjaaja", "Timo", "Laitinen", "Sosiaaliohjaaja", "kuopio_adult", "social_counsellor"),
    (
        "sos.etuus",
        "Päivi",
        "Hämäläinen",
        "Etuuskäsittelijä",
        "psavo_assistance",
        "social_assistance_processor",
    ),
    (
        "sos.johtaja",
        "Kaisa",
        "Turunen",
        "Johtava sosiaalityöntekijä",
        "kuopio_adult",
        "unit_manager",
    ),
    (
        "vantaa.tyontekija",
        "Elina",
        "Koskinen",
        "Sosiaalityöntekijä",
        "vantaa_adult",
        "social_worker",
    ),
    ("paakayttaja", "Pekka", "Salminen", "Pääkäyttäjä", "kela_east", "organisation_admin"),
]

FIRST_NAMES = [
    "Aino",
    "Eino",
    "Helmi",
    "Väinö",
    "Sofia",
    "Onni",
    "Emma",
    "Leevi",
    "Aada",
    "Veeti",
    "Ilona",
    "Juho",
    "Kerttu",
    "Lauri",
    "Minea",
    "Niilo",
    "Pihla",
    "Otso",
    "Saana",
    "Toivo",
]
LAST_NAMES = [
    "Lehtonen",
    "Savolainen",
    "Kinnunen",
    "Pitkänen",
    "Räsänen",
    "Hyvönen",
    "Karjalainen",
    "Ryynänen",
    "Partanen",
    "Rönkkö",
    "Miettinen",
    "Huttunen",
    "Tiihonen",
    "Jääskeläinen",
    "Kärkkäinen",
    "Voutilainen",
    "Hirvonen",
    "Nevalainen",
    "Korpela",
    "Väisänen",
]
MUNICIPALITIES = ["297", "297", "140", "092", "749", "092", "245"]
CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def test_identity_code(rng: random.Random) -> str:
    """A valid identity code from the test range (individual number 900-999)."""
    year = rng.randint(1950, 2005)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    sign = "-" if year < 2000 else "A"
    individual = rng.randint(900, 999)
    digits = f"{day:02d}{month:02d}{year % 100:02d}"
    check = CHECK_CHARS[int(f"{digits}{individual:03d}") % 31]
    return f"{digits}{sign}{individual:03d}{check}"


def demo_clients(count: int = 20) -> list[tuple[str, str, str, str]]:
    rng = random.Random(2026)
    seen: set[str] = set()
    clients = []
    for index in range(count):
        code = test_identity_code(rng)
        while code in seen:
            code = test_identity_code(rng)
        seen.add(code)
        clients.append(
            (
                code,
                FIRST_NAMES[index],
                LAST_NAMES[index],
                MUNICIPALITIES[index % len(MUNICIPALITIES)],
            )
        )
    return clients


@dataclass(frozen=True)
class DemoThread:
    """A conversation, timed in working days ago and Helsinki clock time."""

    client: int
    kela_unit: str
    social_unit: str
    starter: str  # "kela" or "social"
    subject: str
    first: str
    sent: tuple[int, str]
    reply: str | None = None
    replied: tuple[int, str] | None = None
    read: bool = True  # has the receiving unit opened it (read receipt)?
    reply_read: bool = False  # has the starter opened the reply?
    file: bool = True
    # The statutory bases (consents.bases) the case and the first message go out on; empty:
    # the client's consent in force (demo.consents).
    case_basis: str = ""
    basis: str = ""
    # The guide's expense kind the thread is about (reference.expense_kinds), or "".
    expense_kind: str = ""


THREADS = [
    DemoThread(
        0,
        "kela_east",
        "kuopio_adult",
        "kela",
        "Vuokravakuus",
        "Asiakas hakee vuokravakuutta uuteen asuntoon. Perustoimeentulotuen päätös on tehty; "
        "vuokravakuus kuuluu harkintamme mukaan täydentävään toimeentulotukeen. Lähetämme "
        "hakemuksen liitteineen.",
        expense_kind="rent-deposit",
        sent=(16, "10:24"),
        reply="Kiitos. Otamme hakemuksen käsittelyyn ja ilmoitamme päätöksestä tässä ketjussa.",
        replied=(15, "13:05"),
        reply_read=True,
    ),
    DemoThread(
        1,
        "kela_east",
        "kuopio_adult",
        "social",
        "Aktivointisuunnitelma",
        "Asiakkaalle on laadittu aktivointisuunnitelma 12.11. Liitteenä suunnitelma "
        "perusosan alentamisen arviointia varten.",
        sent=(11, "14:47"),
    ),
    DemoThread(
        2,
        "kela_east",
        "psavo_assistance",
        "kela",
        "Täydentävä toimeentulotuki: lääkekulut",
        "Asiakkaan lääkekulut ylittävät perusosan. Hakemus siirretty asiakkaan pyynnöstä.",
        expense_kind="medicine",
        sent=(13, "08:58"),
        reply="Päätös täydentävästä toimeentulotuesta tehty, liitteenä päätös.",
        replied=(12, "15:31"),
    ),
    DemoThread(
        3,
        "kela_south",
        "vantaa_adult",
        "kela",
        "Huoli asiakkaan tilanteesta",
        "Asiakas kertoi asiakaspalvelussa olevansa häätöuhan alla eikä hänellä ole rahaa "
        "ruokaan. Asiakas antoi suostumuksen yhteydenottoon.",
        sent=(10, "11:16"),
        read=False,
    ),
    DemoThread(
        4,
        "kela_east",
        "kuopio_adult",
        "kela",
        "Selvitys tuloista",
        "Tarvitsemme selvityksen asiakkaan elokuussa saamasta kertakorvauksesta. Onko "
        "teillä tietoa maksajasta?",
        sent=(5, "09:37"),
        file=False,
    ),
    DemoThread(
        7,
        "kela_east",
        "kuopio_adult",
        "social",
        "Asumisen tuki ja vuokrarästit",
        "Asiakkaalla on kolmen kuukauden vuokrarästit. Onko Kelassa vireillä "
        "perustoimeentulotuen hakemus marraskuulta?",
        expense_kind="rent-arrears",
        sent=(3, "15:52"),
        reply="Hakemus on vireillä, puuttuu tiliote. Pyydämme sen asiakkaalta tänään.",
        replied=(2, "08:14"),
        file=False,
    ),
    # No consent: social services open the case for the statement (Totul 15 §) and tell
    # Kela a fact relevant to the reduction (Totul 18 b §); the client is informed.
    DemoThread(
        9,
        "kela_east",
        "psavo_assistance",
        "social",
        "Sosiaalihuollon lausunto perusosan alentamisesta",
        "Asiakas osallistui palvelutarpeen arviointiin 24.11., ja jatkotapaaminen on sovittu. "
        "Asiakasta on kuultu. Liitteenä lausunto perusosan alentamisen harkintaa varten.",
        sent=(1, "10:41"),
        read=False,
        case_basis="totul_15",
        basis="totul_18b",
    ),
    DemoThread(
        5,
        "kela_south",
        "vantaa_adult",
        "social",
        "Yhteinen asiakastapaaminen",
        "Ehdotamme yhteistä tapaamista asiakkaan kanssa ensi viikolla. Sopisiko tiistai?",
        sent=(0, "08:06"),
        read=False,
        file=False,
    ),
]
