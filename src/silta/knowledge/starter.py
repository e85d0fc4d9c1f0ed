"""The starter set of the guide: fifteen expense kinds, written from DOMAIN.md (basic
assistance at Kela; supplementary and preventive assistance at the organiser; a primary
benefit first).

This is demo content. It is loaded as ``VersionState.DEMO`` and shown with the label
"demo content, to be verified by the content owners" until an owner publishes a reviewed
version: the sections and the order of payers are a starting point for the owners, not
verified legal conclusions (Totul section numbers as in force since 1.1.2023; re-check).
"""

from __future__ import annotations

from dataclasses import dataclass

BASIC_REF = "Kela: perustoimeentulotuen etuusohje"
ORGANISER_REF = "Hyvinvointialueen täydentävän ja ehkäisevän toimeentulotuen soveltamisohje"


@dataclass(frozen=True)
class Starter:
    slug: str
    topics: tuple[str, ...]
    keywords: str
    title: tuple[str, str]
    summary: tuple[str, str]
    steps: tuple[tuple[str, str, str], ...]
    conditions: tuple[str, str]
    law: str
    example: tuple[str, str]


BASIC, SUPPL, PREV = "basic", "supplementary", "preventive"
PRIMARY, OTHER, CLIENT = "primary_benefit", "other_service", "client"

STARTERS: tuple[Starter, ...] = (
    Starter(
        slug="rent",
        topics=("basic_assistance",),
        keywords="vuokra, asumismen, hyra, boendeutgift",
        title=("Vuokra ja muut asumismenot", "Hyra och andra boendeutgifter"),
        summary=(
            "Asumistuki haetaan ensin; kohtuulliset asumismenot huomioidaan Kelan "
            "perustoimeentulotuessa.",
            "Bostadsbidrag söks först; skäliga boendeutgifter beaktas i FPA:s "
            "grundläggande utkomststöd.",
        ),
        steps=(
            (PRIMARY, "Yleinen asumistuki (Kela)", "Allmänt bostadsbidrag (FPA)"),
            (BASIC, "Kohtuulliset asumismenot", "Skäliga boendeutgifter"),
            (
                SUPPL,
                "Kohtuullisen tason ylittävä osa vain erityisestä syystä",
                "Del som överstiger skälig nivå endast av särskilt skäl",
            ),
        ),
        conditions=(
            "Kela arvioi kohtuullisuuden kunnan tason mukaan ja voi kehottaa hakemaan "
            "edullisempaa asuntoa siirtymäajan kuluessa.",
            "FPA bedömer skäligheten enligt nivån i kommunen och kan uppmana klienten att "
            "söka en billigare bostad inom en övergångstid.",
        ),
        law="Totul 7 b §; laki yleisestä asumistuesta 938/2014",
        example=(
            "Vuokra ylittää kunnan kohtuullisen tason: Kela huomioi kohtuullisen määrän; "
            "ylittävää osaa ei siirretä automaattisesti hyvinvointialueelle.",
            "Hyran överstiger kommunens skäliga nivå: FPA beaktar det skäliga beloppet; "
            "den överskjutande delen flyttas inte automatiskt till välfärdsområdet.",
        ),
    ),
    Starter(
        slug="rent-deposit",
        topics=("basic_assistance", "social_assistance"),
        keywords="vuokravakuu, vakuus, hyresgaranti, garanti",
        title=("Vuokravakuus", "Hyresgaranti"),
        summary=(
            "Kela voi huomioida vuokravakuuden perustoimeentulotuessa, yleensä "
            "maksusitoumuksena. Tarkista järjestäjän paikallinen muunnelma ennen palautusta.",
            "FPA kan beakta hyresgarantin i det grundläggande utkomststödet, vanligen som "
            "betalningsförbindelse. Kontrollera organisatörens lokala variant före en retur.",
        ),
        steps=(
            (BASIC, "Maksusitoumus vuokranantajalle", "Betalningsförbindelse till hyresvärden"),
            (
                SUPPL,
                "Harkinnan mukaan, kun vakuus ei kuulu perustoimeentulotukeen",
                "Efter prövning, när garantin inte hör till det grundläggande stödet",
            ),
        ),
        conditions=(
            "Asumismenojen on oltava kohtuulliset ja muuton perusteltu. Vuokravakuuksia "
            "pallotellaan kenttätutkimuksen mukaan paljon: nimeä tämä kohta palautuksessa.",
            "Boendeutgifterna ska vara skäliga och flytten motiverad. Enligt fältstudien "
            "bollas hyresgarantier mycket: hänvisa till detta avsnitt vid en retur.",
        ),
        law="Totul 7 b §, 7 c §",
        example=(
            "Asiakas muuttaa edullisempaan asuntoon Kelan kehotuksesta: vakuus "
            "maksusitoumuksena perustoimeentulotuessa.",
            "Klienten flyttar till en billigare bostad på FPA:s uppmaning: garantin som "
            "betalningsförbindelse i det grundläggande utkomststödet.",
        ),
    ),
    Starter(
        slug="rent-arrears",
        topics=("social_assistance", "adult_social_work"),
        keywords="vuokrarästi, vuokravelka, häätö, hyresskuld, vräkning",
        title=("Vuokrarästit ja häätöuhka", "Hyresskulder och hot om vräkning"),
        summary=(
            "Asunnon menetyksen ehkäisemiseksi hyvinvointialue voi harkita ehkäisevää "
            "toimeentulotukea; ohjaa myös talous- ja velkaneuvontaan.",
            "För att förebygga att bostaden förloras kan välfärdsområdet pröva "
            "förebyggande utkomststöd; hänvisa även till ekonomi- och skuldrådgivning.",
        ),
        steps=(
            (PREV, "Asumisen turvaaminen", "Tryggande av boendet"),
            (
                OTHER,
                "Talous- ja velkaneuvonta, maksusuunnitelma vuokranantajan kanssa",
                "Ekonomi- och skuldrådgivning, betalningsplan med hyresvärden",
            ),
        ),
        conditions=(
            "Harkinnanvarainen; arvioidaan asiakkaan kokonaistilanne sosiaalityössä.",
            "Prövningsbaserat; klientens helhetssituation bedöms i socialt arbete.",
        ),
        law="Totul 13 §",
        example=(
            "Kela havaitsee häätöuhan: yhteydenotto sosiaalihuoltoon (SHL 35 §) "
            "asiakkaan suostumuksella.",
            "FPA märker ett hot om vräkning: kontakt med socialvården (SVL 35 §) med "
            "klientens samtycke.",
        ),
    ),
    Starter(
        slug="moving-costs",
        topics=("basic_assistance",),
        keywords="muutto, muuttokustannu, flytt, flyttkostnad",
        title=("Muuttokustannukset", "Flyttkostnader"),
        summary=(
            "Välttämättömät muuttokustannukset voidaan huomioida Kelan perustoimeentulotuessa.",
            "Nödvändiga flyttkostnader kan beaktas i FPA:s grundläggande utkomststöd.",
        ),
        steps=(
            (BASIC, "Välttämätön muutto, kohtuulliset kulut", "Nödvändig flytt, skäliga kostnader"),
            (SUPPL, "Muut muuttoon liittyvät menot harkiten", "Andra utgifter efter prövning"),
        ),
        conditions=(
            "Muuton on oltava tarpeellinen, esimerkiksi edullisempaan asuntoon.",
            "Flytten ska vara nödvändig, till exempel till en billigare bostad.",
        ),
        law="Totul 7 b §",
        example=(
            "Muutto kohtuuhintaiseen asuntoon: kohtuulliset muuttokulut Kelasta.",
            "Flytt till en bostad till skäligt pris: skäliga flyttkostnader från FPA.",
        ),
    ),
    Starter(
        slug="furniture",
        topics=("social_assistance",),
        keywords="huonekalu, kodinkone, sänky, jääkaappi, möbel, hushållsapparat",
        title=("Huonekalut ja kodinkoneet", "Möbler och hushållsapparater"),
        summary=(
            "Välttämättömät huonekalut ja kodinkoneet kuuluvat yleensä hyvinvointialueen "
            "täydentävään toimeentulotukeen.",
            "Nödvändiga möbler och hushållsapparater hör vanligen till välfärdsområdets "
            "kompletterande utkomststöd.",
        ),
        steps=(
            (SUPPL, "Välttämättömät hankinnat", "Nödvändiga anskaffningar"),
            (
                PREV,
                "Esimerkiksi itsenäistymisen tukena",
                "Till exempel som stöd vid flytt hemifrån",
            ),
        ),
        conditions=(
            "Edellyttää Kelan perustoimeentulotukipäätöstä hakemuskaudelle (Totul 14 §).",
            "Förutsätter FPA:s beslut om grundläggande utkomststöd för perioden (14 §).",
        ),
        law="Totul 7 c §, 14 §",
        example=(
            "Asunnoton saa asunnon ilman kalusteita: hakemus siirretään Kelasta "
            "hyvinvointialueelle (Totul 14 c §).",
            "En bostadslös får en omöblerad bostad: ansökan överförs från FPA till "
            "välfärdsområdet (14 c §).",
        ),
    ),
    Starter(
        slug="household-electricity",
        topics=("basic_assistance",),
        keywords="sähkö, sähkölasku, el, elräkning",
        title=("Taloussähkö", "Hushållsel"),
        summary=(
            "Taloussähkö huomioidaan Kelan perustoimeentulotuessa.",
            "Hushållsel beaktas i FPA:s grundläggande utkomststöd.",
        ),
        steps=((BASIC, "Tavanomainen taloussähkö", "Sedvanlig hushållsel"),),
        conditions=(
            "Kohtuullinen kulutus; rästit katso sähkörästit.",
            "Skälig förbrukning; för skulder, se elskulder.",
        ),
        law="Totul 7 b §",
        example=(
            "Kuukauden sähkölasku: Kelan laskelmassa menona.",
            "Månadens elräkning: som utgift i FPA:s kalkyl.",
        ),
    ),
    Starter(
        slug="electricity-arrears",
        topics=("social_assistance", "adult_social_work"),
        keywords="sähkörästi, sähkövelka, katkaisu, elskuld, avstängning",
        title=("Sähkörästit", "Elskulder"),
        summary=(
            "Sähkökatkon uhatessa hyvinvointialue voi harkita ehkäisevää "
            "toimeentulotukea; juoksevat laskut kuuluvat perustoimeentulotukeen.",
            "Vid hot om avstängning kan välfärdsområdet pröva förebyggande utkomststöd; "
            "löpande räkningar hör till det grundläggande stödet.",
        ),
        steps=(
            (BASIC, "Kuluvan kauden lasku", "Räkningen för den löpande perioden"),
            (PREV, "Rästit katkaisun estämiseksi", "Skulder för att förhindra avstängning"),
            (OTHER, "Maksusuunnitelma sähköyhtiön kanssa", "Betalningsplan med elbolaget"),
        ),
        conditions=(
            "Harkinnanvarainen; arvioidaan asiakkaan tilanne ja toistuvuus.",
            "Prövningsbaserat; klientens situation och upprepning bedöms.",
        ),
        law="Totul 7 b §, 13 §",
        example=(
            "Lapsiperheen sähkö katkaistaan viikon kuluttua: hyvinvointialue arvioi "
            "ehkäisevän tuen kiireellisesti.",
            "Elen stängs av om en vecka i en barnfamilj: välfärdsområdet prövar "
            "förebyggande stöd brådskande.",
        ),
    ),
    Starter(
        slug="medicine",
        topics=("basic_assistance",),
        keywords="lääke, lääkkeet, apteekki, läkemedel, apotek",
        title=("Lääkkeet", "Läkemedel"),
        summary=(
            "Lääkekorvaus ensin; reseptilääkkeiden omavastuu huomioidaan Kelan "
            "perustoimeentulotuessa, usein apteekkiin annettavana maksusitoumuksena.",
            "Läkemedelsersättning först; självrisken för receptbelagda läkemedel beaktas i "
            "FPA:s grundläggande stöd, ofta som betalningsförbindelse till apoteket.",
        ),
        steps=(
            (
                PRIMARY,
                "Lääkekorvaus ja vuotuinen lääkekatto",
                "Läkemedelsersättning och årlig takbelopp",
            ),
            (BASIC, "Lääkärin määräämät lääkkeet", "Läkemedel som läkare ordinerat"),
            (SUPPL, "Muut terveysmenot harkiten", "Andra hälsoutgifter efter prövning"),
        ),
        conditions=(
            "Lääkärin määräys; korvattavuus ja edullisin vaihtoehto Kelan ohjeen mukaan.",
            "Läkarordination; ersättningsbarhet och förmånligaste "
            "alternativ enligt FPA:s anvisning.",
        ),
        law="Totul 7 b §",
        example=(
            "Asiakas ei pysty maksamaan reseptilääkettä: Kela voi antaa maksusitoumuksen "
            "apteekkiin.",
            "Klienten kan inte betala ett receptbelagt läkemedel: FPA kan ge en "
            "betalningsförbindelse till apoteket.",
        ),
    ),
    Starter(
        slug="dental-care",
        topics=("basic_assistance",),
        keywords="hammas, hammashoi, tandvård, tand",
        title=("Hammashoito", "Tandvård"),
        summary=(
            "Julkisen hammashoidon maksut huomioidaan Kelan perustoimeentulotuessa; "
            "yksityinen hoito vain Kelan ohjeen mukaisin edellytyksin.",
            "Avgifter för offentlig tandvård beaktas i FPA:s grundläggande stöd; privat vård "
            "endast på de villkor som FPA:s anvisning anger.",
        ),
        steps=(
            (BASIC, "Julkisen hammashoidon maksut", "Avgifter för offentlig tandvård"),
            (SUPPL, "Erityiset tilanteet harkiten", "Särskilda situationer efter prövning"),
        ),
        conditions=(
            "Hoidon tarve ja kustannusarvio; julkinen hammashoito ensisijainen.",
            "Vårdbehov och kostnadsförslag; offentlig tandvård i första hand.",
        ),
        law="Totul 7 b §",
        example=(
            "Särkevä hammas: julkisen hammashoidon päivystys ja maksu Kelan laskelmaan.",
            "Värkande tand: jour inom offentlig tandvård och avgiften i FPA:s kalkyl.",
        ),
    ),
    Starter(
        slug="eyeglasses",
        topics=("basic_assistance",),
        keywords="silmälasi, lasit, glasögon",
        title=("Silmälasit", "Glasögon"),
        summary=(
            "Tarpeelliset perussilmälasit voidaan huomioida Kelan perustoimeentulotuessa "
            "terveydenhuoltomenona ohjeen hintarajoin.",
            "Nödvändiga basglasögon kan beaktas i FPA:s grundläggande stöd som "
            "hälsovårdsutgift inom anvisningens prisgränser.",
        ),
        steps=(
            (BASIC, "Perussilmälasit", "Basglasögon"),
            (SUPPL, "Erityiset tarpeet harkiten", "Särskilda behov efter prövning"),
        ),
        conditions=(
            "Optikon tai lääkärin toteama tarve; hinta-arvio.",
            "Behov konstaterat av optiker eller läkare; prisuppgift.",
        ),
        law="Totul 7 b §",
        example=(
            "Lasit rikkoutuneet ja tarve todettu: Kela huomioi kohtuullisen hinnan.",
            "Glasögonen har gått sönder och behovet är konstaterat: FPA beaktar ett skäligt pris.",
        ),
    ),
    Starter(
        slug="child-hobby",
        topics=("social_assistance", "child_and_family"),
        keywords="harrastu, lapsen harrastus, hobby, fritidsaktivitet",
        title=("Lapsen harrastus", "Barnets hobby"),
        summary=(
            "Pienet menot kuuluvat perusosaan; lapsen harrastuksen menot harkitaan "
            "hyvinvointialueen täydentävänä toimeentulotukena.",
            "Små utgifter ingår i grunddelen; utgifter för barnets hobby prövas som "
            "kompletterande utkomststöd hos välfärdsområdet.",
        ),
        steps=(
            (CLIENT, "Pienet menot perusosasta", "Små utgifter ur grunddelen"),
            (SUPPL, "Lapsen harrastustoiminta", "Barnets fritidsaktiviteter"),
            (OTHER, "Kunnan ja järjestöjen tuetut harrastukset", "Subventionerade hobbyer"),
        ),
        conditions=(
            "Harkinnanvarainen; lapsen etu huomioidaan.",
            "Prövningsbaserat; barnets bästa beaktas.",
        ),
        law="Totul 7 a §, 7 c §",
        example=(
            "Jalkapalloseuran kausimaksu: hakemus hyvinvointialueelle Kelan päätöksen jälkeen.",
            "Säsongsavgift till fotbollsföreningen: ansökan till "
            "välfärdsområdet efter FPA:s beslut.",
        ),
    ),
    Starter(
        slug="child-visits",
        topics=("basic_assistance",),
        keywords="tapaamis, lapsen tapaaminen, matka, umgänge, resa",
        title=("Matkat lapsen tapaamiseen", "Resor för att träffa sitt barn"),
        summary=(
            "Lapsen tapaamisoikeuden käyttämisestä aiheutuvat kohtuulliset menot voidaan "
            "huomioida Kelan perustoimeentulotuessa.",
            "Skäliga utgifter för att utöva umgängesrätt med barnet kan beaktas i FPA:s "
            "grundläggande stöd.",
        ),
        steps=((BASIC, "Kohtuulliset matkakulut", "Skäliga resekostnader"),),
        conditions=(
            "Vahvistettu tapaamissopimus tai -päätös; edullisin kulkutapa.",
            "Fastställt umgängesavtal eller -beslut; förmånligaste färdsätt.",
        ),
        law="Totul 7 b §",
        example=(
            "Isä tapaa lastaan joka toinen viikonloppu toisella paikkakunnalla: "
            "junaliput Kelan laskelmaan.",
            "En pappa träffar sitt barn varannan helg på en annan ort: "
            "tågbiljetter i FPA:s kalkyl.",
        ),
    ),
    Starter(
        slug="funeral-costs",
        topics=("social_assistance",),
        keywords="hautaus, hautajai, begravning",
        title=("Hautauskulut", "Begravningskostnader"),
        summary=(
            "Kuolinpesän varat ensin; kohtuulliset hautauskulut harkitaan "
            "hyvinvointialueen täydentävänä toimeentulotukena.",
            "Dödsboets medel först; skäliga begravningskostnader prövas som kompletterande "
            "utkomststöd hos välfärdsområdet.",
        ),
        steps=(
            (CLIENT, "Kuolinpesän varat", "Dödsboets medel"),
            (SUPPL, "Kohtuulliset hautauskulut", "Skäliga begravningskostnader"),
        ),
        conditions=(
            "Selvitys kuolinpesän varoista; kustannusarvio.",
            "Utredning om dödsboets medel; kostnadsförslag.",
        ),
        law="Totul 7 c §",
        example=(
            "Kuolinpesässä ei ole varoja: hakemus hyvinvointialueelle.",
            "Dödsboet saknar medel: ansökan till välfärdsområdet.",
        ),
    ),
    Starter(
        slug="debts",
        topics=("adult_social_work", "social_assistance"),
        keywords="velka, velat, ulosotto, skuld, utmätning",
        title=("Velat", "Skulder"),
        summary=(
            "Toimeentulotuella ei yleensä makseta velkoja; ehkäisevää tukea voidaan harkita "
            "erityisestä syystä. Ohjaa talous- ja velkaneuvontaan ja sosiaaliseen luototukseen.",
            "Skulder betalas i regel inte med utkomststöd; förebyggande stöd kan prövas av "
            "särskilt skäl. Hänvisa till ekonomi- och skuldrådgivning och social kreditgivning.",
        ),
        steps=(
            (
                OTHER,
                "Talous- ja velkaneuvonta, sosiaalinen luototus",
                "Skuldrådgivning, social kredit",
            ),
            (PREV, "Erityisestä syystä", "Av särskilt skäl"),
        ),
        conditions=(
            "Harkinnanvarainen; tavoitteena omatoimisuuden edistäminen.",
            "Prövningsbaserat; målet är att främja klientens självständighet.",
        ),
        law="Totul 13 §; laki sosiaalisesta luototuksesta 1133/2002",
        example=(
            "Pikavipit kasautuneet: ajanvaraus velkaneuvontaan, ei toimeentulotukea velkoihin.",
            "Snabblån har hopats: tid till skuldrådgivning, inte utkomststöd för skulderna.",
        ),
    ),
    Starter(
        slug="early-childhood-fees",
        topics=("basic_assistance", "child_and_family"),
        keywords="varhaiskasvatu, päivähoi, småbarnspedagogik, dagvård",
        title=("Varhaiskasvatusmaksut", "Avgifter för småbarnspedagogik"),
        summary=(
            "Varhaiskasvatusmaksut huomioidaan Kelan perustoimeentulotuessa; "
            "maksun alentamista haetaan ensin kunnalta.",
            "Avgifter för småbarnspedagogik beaktas i FPA:s grundläggande stöd; nedsättning "
            "av avgiften söks först hos kommunen.",
        ),
        steps=(
            (OTHER, "Maksun alentaminen tai perimättä jättäminen", "Nedsättning av avgiften"),
            (BASIC, "Jäljelle jäävä maksu", "Den återstående avgiften"),
        ),
        conditions=(
            "Maksupäätös kunnalta.",
            "Avgiftsbeslut från kommunen.",
        ),
        law="Totul 7 b §",
        example=(
            "Yksinhuoltajan lapsen päivähoitomaksu: Kelan laskelmaan menona.",
            "En ensamförsörjares dagvårdsavgift: som utgift i FPA:s kalkyl.",
        ),
    ),
)
