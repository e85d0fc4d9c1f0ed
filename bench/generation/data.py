"""Static material for the generated world: organiser sizes, unit kinds, names and texts.

The organiser codes and names come from ``src/silta/reference/data`` at run time; this
module only adds weights and words. Populations are rounded approximations (thousands of
residents, 2024) used as relative weights for the skew, nothing more.
"""

from __future__ import annotations

# Wellbeing services county code (and 90 = City of Helsinki) -> residents, thousands.
ORGANISER_POPULATION_K: dict[str, int] = {
    "01": 100, "02": 200, "03": 480, "04": 280, "05": 490, "06": 215, "07": 170,
    "08": 530, "09": 205, "10": 160, "11": 125, "12": 130, "13": 250, "14": 165,
    "15": 275, "16": 190, "17": 175, "18": 68, "19": 415, "20": 70, "21": 175,
    "90": 675,
}  # fmt: skip

# Kela's customer service areas (kela_service_areas_2026.csv codes) -> short names fi/sv.
KELA_AREAS: dict[str, tuple[str, str]] = {
    "1": ("Eteläinen", "Södra"),
    "2": ("Läntinen", "Västra"),
    "3": ("Keskinen", "Mellersta"),
    "4": ("Itäinen", "Östra"),
    "5": ("Pohjoinen", "Norra"),
}

# Kela benefit teams of each area: key, name fi, name sv, share of the cases of the area.
# Basic social assistance (toimeentulotuki) is split into several teams per area, in
# proportion to the area's population (TOIMEENTULOTUKI_TEAMS_PER_MILLION).
KELA_BENEFITS: list[tuple[str, str, str, float]] = [
    ("ttt", "toimeentulotuki", "utkomststöd", 0.58),
    ("asumistuki", "asumistuki", "bostadsbidrag", 0.12),
    ("tyottomyys", "työttömyysturva", "utkomstskydd för arbetslösa", 0.10),
    ("kuntoutus", "kuntoutus", "rehabilitering", 0.08),
    ("perhe", "lapsiperhe-etuudet", "barnfamiljeförmåner", 0.07),
    ("asiakaspalvelu", "asiakaspalvelu", "kundservice", 0.05),
]
TOIMEENTULOTUKI_TEAMS_PER_MILLION = 3.0

# Social services unit kinds: kind, name fi, name sv, share of the organiser's cases.
SOCIAL_UNIT_KINDS: list[tuple[str, str, str, float]] = [
    ("social_assistance", "Toimeentulotuki", "Utkomststöd", 0.34),
    ("adult_social_work", "Aikuissosiaalityö", "Socialt arbete för vuxna", 0.36),
    ("child_and_family", "Perhesosiaalityö", "Familjesocialt arbete", 0.16),
    ("older_people", "Ikäihmisten palvelut", "Äldreomsorg", 0.09),
    ("emergency", "Sosiaalipäivystys", "Socialjour", 0.05),
]

LEGAL_BASES: list[tuple[str, float]] = [
    ("consent", 0.55),
    ("client_request", 0.2),
    ("statutory_duty", 0.2),
    ("welfare_concern", 0.05),
]

LAST_NAMES = [
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
    "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
    "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen", "Hiltunen",
    "Hirvonen", "Laaksonen", "Miettinen", "Pitkänen", "Räsänen", "Väisänen", "Leinonen",
    "Aaltonen", "Kallio", "Anttila", "Lehto", "Ojala", "Laukkanen", "Nurmi", "Rautiainen",
    "Hyvönen", "Manninen", "Lindholm", "Lindroos", "Jääskeläinen", "Karvonen", "Seppälä",
    "Kettunen", "Partanen", "Pelkonen", "Eskelinen", "Huttunen", "Kärkkäinen", "Ylönen",
    "Hakala", "Koivisto", "Moilanen", "Toivonen", "Peltonen", "Oksanen", "Mustonen", "Rönkkö",
    "Kiiskinen", "Sirviö", "Honkanen", "Vainio", "Suominen", "Lappalainen", "Ikonen", "Halonen",
    "Kemppainen", "Lindqvist", "Nyberg", "Backman", "Korpela", "Nyman", "Määttä", "Tiihonen",
    "Voutilainen", "Hyttinen", "Kokkonen", "Ahola", "Ruotsalainen",
]  # fmt: skip

FIRST_NAMES = [
    "Aino", "Eino", "Helmi", "Väinö", "Sofia", "Onni", "Emma", "Leevi", "Aada", "Veeti",
    "Ilona", "Juho", "Kerttu", "Lauri", "Minea", "Niilo", "Pihla", "Otso", "Saana", "Toivo",
    "Anna", "Mikko", "Liisa", "Jussi", "Sari", "Timo", "Päivi", "Kaisa", "Elina", "Pekka",
    "Maria", "Juhani", "Johanna", "Antero", "Tuula", "Matti", "Marja", "Kari", "Kirsi", "Jari",
    "Hanna", "Petri", "Tiina", "Heikki", "Riikka", "Markku", "Katja", "Janne", "Outi", "Ville",
    "Noora", "Joonas", "Jenni", "Teemu", "Laura", "Antti", "Emilia", "Tapio", "Susanna", "Olli",
    "Ella", "Aleksi", "Venla", "Eetu", "Iida", "Arttu", "Linnea", "Samuel", "Oona", "Elias",
]  # fmt: skip

SUBJECTS = [
    "Vuokravakuus", "Aktivointisuunnitelma", "Täydentävä toimeentulotuki: lääkekulut",
    "Huoli asiakkaan tilanteesta", "Asumistuen tarkistus", "Häätöuhka",
    "Sähkölaskun maksusitoumus", "Ehkäisevä toimeentulotuki", "Kuntouttava työtoiminta",
    "Perusosan alentaminen", "Velkaneuvonta", "Muuttokustannukset", "Lapsen harrastuskulut",
    "Hautajaiskulut", "Silmälasit", "Hammashoidon maksusitoumus", "Asiakkaan yhteystiedot",
    "Päätöksen täytäntöönpano", "Palveluntarpeen arviointi", "Toimeentulotukihakemuksen siirto",
    "Työttömyysturvan odotusaika", "Kuntoutusraha", "Opintotuen takaisinperintä",
    "Lastensuojelun asiakkuus", "Yhteinen asiakastapaaminen", "Tulorekisterin tiedot",
    "Omaishoidon tuki", "Sosiaalinen luototus", "Välitystili", "Asunnottomuus",
]  # fmt: skip

SENTENCES = [
    "Asiakas on hakenut toimeentulotukea ja pyydämme lisätietoja asumiskuluista.",
    "Perustoimeentulotuen päätös on tehty, ja asiakas ohjattiin hakemaan täydentävää tukea.",
    "Liitteenä on asiakkaan suostumuksella toimitettu vuokrasopimus.",
    "Asiakas kertoi asiakaspalvelussa, ettei hänellä ole rahaa ruokaan.",
    "Voisitteko vahvistaa, onko asiakkaalle laadittu aktivointisuunnitelma?",
    "Otamme hakemuksen käsittelyyn ja ilmoitamme päätöksestä tässä ketjussa.",
    "Asiakkaan tilanne on muuttunut: hän on aloittanut kuntouttavan työtoiminnan.",
    "Sovimme yhteisen tapaamisen asiakkaan kanssa ensi viikolle.",
    "Lääkekulut ylittävät perusosan, hakemus siirretty asiakkaan pyynnöstä.",
    "Päätös täydentävästä toimeentulotuesta on tehty, liitteenä päätös.",
    "Asiakkaalle on myönnetty maksusitoumus sähkölaskuun.",
    "Asiakas ei ole vastannut yhteydenottoihimme, pyydämme tietoja tilanteesta.",
    "Vuokranantaja on ilmoittanut vuokrarästeistä ja häätö on vireillä.",
    "Kiitos tiedosta. Olemme yhteydessä asiakkaaseen huomenna.",
    "Asumistuen tarkistus on tehty ja päätös lähetetty asiakkaalle.",
    "Pyydämme palveluntarpeen arviointia asiakkaan tilanteen selvittämiseksi.",
    "Asiakas on muuttanut toiselle paikkakunnalle, asia siirtyy uudelle alueelle.",
    "Perusosan alentamista ei tehdä, koska suunnitelma on laadittu.",
]

ATTACHMENT_NAMES = [
    ("vuokrasopimus.pdf", "application/pdf"),
    ("paatos.pdf", "application/pdf"),
    ("tiliote.pdf", "application/pdf"),
    ("laakarinlausunto.pdf", "application/pdf"),
    ("kuitti.jpg", "image/jpeg"),
    ("suunnitelma.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
]

KELA_TITLES = {"unit_manager": "Ryhmäpäällikkö", "kela_service_advisor": "Palveluasiantuntija"}
SOCIAL_TITLES = {
    "unit_manager": "Johtava sosiaalityöntekijä",
    "social_worker": "Sosiaalityöntekijä",
    "social_counsellor": "Sosiaaliohjaaja",
    "social_assistance_processor": "Etuuskäsittelijä",
}
DEFAULT_KELA_TITLE = "Ratkaisuasiantuntija"
