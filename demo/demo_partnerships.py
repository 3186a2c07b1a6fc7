"""Demo data: the network's partnerships.

Names, districts, areas and founding years follow public information about the
network; descriptions, goals, the six conditions and all contact data are written
for the demo (e-mails at example.org, phone numbers 22 000 01 xx are fictional).
"""

from datetime import date

# The partnership renamed in 2018: created under its old name, then renamed, so the
# old address keeps redirecting (PreviousName).
RENAMED_SLUG = "dla-rudawki-i-zatrasia"
RENAMED_FROM = ("Nasz Żoliborz IV", "nasz-zoliborz-iv", date(2018, 6, 30))

# Conditions in the model's order: animator, projects, communication,
# local_government, space, multisector — each (met?, short note).
PARTNERSHIPS = [
    {
        "slug": "koalicja-na-rzecz-ochoty",
        "name": "Koalicja na rzecz Ochoty",
        "districts": ["ochota"],
        "area": "Cała dzielnica Ochota",
        "founded_year": 2001,
        "formal_status": "declaration",
        "declaration_signed_on": date(2014, 5, 20),
        "summary": "Najstarsze partnerstwo w sieci: komisje tematyczne dla seniorów, osób z "
        "niepełnosprawnościami i kultury.",
        "description": "Koalicja zaczynała od kilku instytucji, które chciały lepiej się poznać: klubu "
        "sąsiedzkiego, ośrodka pomocy społecznej, BORIS i jednego z liceów. Dziś pracuje w komisjach "
        "tematycznych, z których każda ma własny rytm spotkań i własne pomysły na działania. "
        "Wspólna deklaracja porządkuje zasady współpracy i pozwala nowym członkom szybko się odnaleźć.",
        "goals": "Łączyć instytucje i organizacje Ochoty wokół potrzeb mieszkańców.\n"
        "Rozwijać ofertę dla seniorów i osób z niepełnosprawnościami.\n"
        "Wspierać lokalną kulturę tworzoną przez sąsiadów.",
        "easy_read_summary": "Koalicja to grupa instytucji i organizacji z Ochoty.\n"
        "Razem robimy spotkania dla seniorów, dla osób z niepełnosprawnościami i o kulturze.\n"
        "Spotykamy się w klubie sąsiedzkim przy ulicy Grójeckiej.\nMożesz przyjść. Napisz do nas e-mail.",
        "contact_name": "Sekretariat Koalicji (klub sąsiedzki)",
        "contact_email": "koalicja-ochota@example.org",
        "contact_phone": "22 000 01 01",
        "website": "https://ochota.example.org/",
        "conditions": [
            (True, "Animatorka z klubu sąsiedzkiego i zespół przedstawicieli komisji."),
            (True, "Komisje co roku wybierają działania na podstawie rozmów z mieszkańcami."),
            (True, "Comiesięczny biuletyn i tablica ogłoszeń w klubie."),
            (True, "Dzielnica dofinansowuje wydarzenia w ramach małych grantów."),
            (True, "Klub sąsiedzki i miejsce aktywności lokalnej na Szczęśliwicach."),
            (True, "Instytucje publiczne, organizacje, szkoła, parafia i lokalne firmy."),
        ],
        "last_verified_days_ago": 40,
    },
    {
        "slug": "moje-wierzbno",
        "name": "Partnerstwo „Moje Wierzbno”",
        "districts": ["mokotow"],
        "area": "Wierzbno",
        "founded_year": 2009,
        "formal_status": "declaration",
        "declaration_signed_on": date(2010, 3, 15),
        "summary": "Biblioteka, ośrodek pomocy społecznej i organizacje z Wierzbna działają razem dla sąsiadów.",
        "description": "Partnerstwo powstało z inicjatywy ośrodka pomocy społecznej, dzielnicowej "
        "biblioteki, BORIS i lokalnego stowarzyszenia. Spotyka się w czytelni sąsiedzkiej, a jego "
        "znakiem rozpoznawczym są kiermasze wymiany książek i rodzinne popołudnia w domu sąsiedzkim.",
        "goals": "Budować sąsiedzkie więzi na Wierzbnie.\nUdostępniać mieszkańcom miejsca i zasoby instytucji.",
        "contact_name": "Koordynatorka partnerstwa",
        "contact_email": "moje-wierzbno@example.org",
        "contact_phone": "22 000 01 02",
        "website": "",
        "conditions": [
            (True, "Koordynatorka z ośrodka pomocy społecznej i trzyosobowy zespół."),
            (True, "Działania wynikają z corocznej ankiety wśród sąsiadów."),
            (False, "Brak stałego kanału informacji – ogłoszenia głównie w bibliotece."),
            (True, "Wsparcie dzielnicy przy wydarzeniach plenerowych."),
            (True, "Dom sąsiedzki i czytelnia biblioteki."),
            (True, "Instytucje, organizacje, szkoła i kawiarnia."),
        ],
        "last_verified_days_ago": 120,
    },
    {
        "slug": "moje-sielce",
        "name": "Moje Sielce",
        "status": "dormant",
        "districts": ["mokotow"],
        "area": "Sielce",
        "founded_year": 2009,
        "formal_status": "informal",
        "summary": "Partnerstwo z Sielc, które po przerwie próbuje wrócić jako „Sielce-Reaktywacja”.",
        "description": "Przez kilka lat partnerstwo organizowało pikniki i sprzątanie okolicy. Po odejściu "
        "animatorki działania osłabły. Grupa mieszkańców pod hasłem „Sielce-Reaktywacja” zaprasza dawnych "
        "i nowych partnerów, by sprawdzić, czy jest siła na ponowne uruchomienie współpracy.",
        "goals": "Odnowić kontakty między organizacjami z Sielc.\nZnaleźć nową osobę do animacji.",
        "contact_name": "Grupa Sielce-Reaktywacja",
        "contact_email": "sielce@example.org",
        "contact_phone": "",
        "website": "",
        "conditions": [
            (False, "Od odejścia animatorki nikt nie prowadzi partnerstwa na stałe."),
            (False, "Ostatnie wspólne działania odbyły się kilka lat temu."),
            (False, "Informacje krążą tylko pocztą pantoflową."),
            (False, "Brak rozmów z dzielnicą o wsparciu."),
            (True, "Miejsce aktywności lokalnej na Sieleckiej chętnie udostępnia salę."),
            (False, "W spotkaniach biorą udział głównie mieszkańcy i jedna fundacja."),
        ],
    },
    {
        "slug": "moj-sluzewiec",
        "name": "Mój Służewiec",
        "districts": ["mokotow"],
        "area": "Służewiec – część mieszkaniowa i biurowa",
        "founded_year": 2010,
        "formal_status": "informal",
        "summary": "Partnerstwo łączące mieszkańców Służewca z firmami z okolicznych biurowców.",
        "description": "Na Służewcu obok osiedli stoją biurowce, w których codziennie pracują tysiące osób. "
        "Partnerstwo szuka sposobów, by obie te społeczności się spotkały: wolontariat pracowniczy, "
        "wspólne pikniki i działania na rzecz zieleni między budynkami.",
        "goals": "Włączać firmy w życie osiedla.\nTworzyć miejsca spotkań w dzielnicy biurowców.",
        "contact_name": "Stowarzyszenie Mieszkańców Służewca",
        "contact_email": "moj-sluzewiec@example.org",
        "contact_phone": "22 000 01 04",
        "website": "",
        "conditions": [
            (True, "Animator z lokalnego stowarzyszenia."),
            (True, "Wolontariat pracowniczy odpowiada na zgłoszone potrzeby osiedla."),
            (True, "Lista mailowa i grupa sąsiedzka w sieci."),
            (False, "Dzielnica nie wspiera jeszcze działań finansowo."),
            (True, "Klub osiedlowy przy Bokserskiej."),
            (True, "Mieszkańcy, firmy, szkoła i klub sportowy."),
        ],
    },
    {
        "slug": "nasze-stegny",
        "name": "Nasze Stegny",
        "districts": ["mokotow"],
        "area": "Stegny",
        "founded_year": 2012,
        "formal_status": "declaration",
        "declaration_signed_on": date(2012, 4, 18),
        "summary": "Dobrowolne porozumienie instytucji i organizacji ze Stegien, zawarte wiosną 2012 roku.",
        "description": "Sygnatariusze porozumienia spotykają się regularnie w klubie spółdzielni. Każdy "
        "wnosi to, co ma: salę, sprzęt, kontakty z mieszkańcami albo czas. Co roku organizują rodzinny "
        "bieg i warsztaty dla seniorów.",
        "goals": "Łączyć zasoby instytucji działających na Stegnach.\nDbać o ofertę dla seniorów.",
        "contact_name": "Klub osiedlowy Stegny",
        "contact_email": "nasze-stegny@example.org",
        "contact_phone": "22 000 01 05",
        "website": "",
        "conditions": [
            (True, "Koordynatorka ze spółdzielni i zespół sygnatariuszy."),
            (True, "Działania planowane na podstawie spotkań z mieszkańcami."),
            (True, "Gazetka spółdzielni i plakaty w klatkach."),
            (True, "Dzielnica współfinansuje bieg rodzinny."),
            (True, "Klub osiedlowy przy Bonifacego."),
            (True, "Spółdzielnia, fundacja, parafia, firma i grupa seniorów."),
        ],
        "last_verified_days_ago": 200,
    },
    {
        "slug": "partnerstwo-starego-mokotowa",
        "name": "Partnerstwo Starego Mokotowa",
        "districts": ["mokotow"],
        "area": "Stary Mokotów, okolice Skweru Orszy",
        "founded_year": 2017,
        "formal_status": "informal",
        "summary": "Sąsiedzi i organizacje, którzy chcą lokalnego centrum przy Skwerze Orszy.",
        "description": "Partnerstwo zawiązało się w 2017 roku wokół planów utworzenia lokalnego centrum "
        "przy Skwerze Orszy. Zbiera pomysły mieszkańców na program takiego miejsca, prowadzi spacery "
        "badawcze i rozmawia z dzielnicą o tym, jak centrum mogłoby działać.",
        "goals": "Doprowadzić do otwarcia lokalnego centrum przy Skwerze Orszy.\n"
        "Współtworzyć jego program razem z mieszkańcami.",
        "contact_name": "Stowarzyszenie Stary Mokotów",
        "contact_email": "stary-mokotow@example.org",
        "contact_phone": "",
        "website": "https://stary-mokotow.example.org/",
        "conditions": [
            (True, "Animatorka i koordynator z lokalnego stowarzyszenia."),
            (True, "Program centrum powstaje z mieszkańcami podczas spacerów i konsultacji."),
            (True, "Strona internetowa i lista mailowa."),
            (False, "Decyzja dzielnicy o centrum wciąż nie zapadła."),
            (False, "Na razie brak własnego lokalu – spotkania w kawiarni."),
            (True, "Stowarzyszenie, wspólnota, rada osiedla, kawiarnia i grupa sąsiedzka."),
        ],
        "last_verified_days_ago": 15,
    },
    {
        "slug": "partnerstwo-dla-powisla",
        "name": "Partnerstwo dla Powiśla",
        "districts": ["srodmiescie"],
        "area": "Powiśle",
        "founded_year": None,
        "formal_status": "declaration",
        "declaration_signed_on": date(2015, 9, 10),
        "summary": "Organizatorzy sąsiedzkiego festiwalu Powiśla i stałych spotkań mieszkańców.",
        "description": "Najbardziej znanym działaniem partnerstwa jest sąsiedzki festiwal nad Wisłą, "
        "przygotowywany przez kilka miesięcy przez organizacje, instytucje, kawiarnie i samych "
        "mieszkańców. Poza festiwalem partnerstwo organizuje wymiany roślin i spotkania w domu sąsiedzkim.",
        "goals": "Co roku organizować festiwal sąsiedzki.\nPoznawać nowych mieszkańców Powiśla.",
        "contact_name": "Fundacja Powiślańska",
        "contact_email": "powisle@example.org",
        "contact_phone": "22 000 01 07",
        "website": "https://powisle.example.org/",
        "conditions": [
            (True, "Animatorka z fundacji i zespół festiwalowy."),
            (True, "Program festiwalu zgłaszają sami mieszkańcy."),
            (True, "Strona, newsletter i plakaty w lokalnych punktach."),
            (True, "Dzielnica wspiera festiwal finansowo i logistycznie."),
            (True, "Dom sąsiedzki na Dobrej."),
            (True, "Organizacje, biblioteka, szkoła, parafia, firmy i grupa mieszkańców."),
        ],
    },
    {
        "slug": "przepis-na-muranow",
        "name": "Przepis na Muranów",
        "districts": ["srodmiescie"],
        "area": "Muranów",
        "founded_year": 2017,
        "formal_status": "informal",
        "summary": "Nieformalne partnerstwo z marca 2017 roku: gotowanie, rozmowy i wspólne sprawy Muranowa.",
        "description": "Partnerstwo od początku działa nieformalnie – bez deklaracji, za to ze wspólnymi "
        "zasadami spisanymi na jednej kartce. Spotkania często zaczynają się od wspólnego gotowania, a "
        "kończą planem kolejnej akcji na osiedlu.",
        "goals": "Łączyć starszych i nowych mieszkańców Muranowa.\nDbać o wspólne podwórka.",
        "contact_name": "Miejsce Aktywności Lokalnej Muranów",
        "contact_email": "muranow@example.org",
        "contact_phone": "",
        "website": "",
        "conditions": [
            (True, "Animator z miejsca aktywności lokalnej."),
            (True, "Pomysły zbierane przy wspólnym stole."),
            (False, "Komunikacja opiera się na kilku osobach – to słaby punkt."),
            (False, "Brak stałego wsparcia dzielnicy."),
            (True, "Miejsce aktywności lokalnej z kuchnią."),
            (True, "Fundacja, dom kultury, wspólnota, kuchnia sąsiedzka i grupa mieszkańców."),
        ],
        "last_verified_days_ago": 75,
    },
    {
        "slug": "mlyn-na-woli",
        "name": "Partnerstwo „Młyn na Woli”",
        "status": "forming",
        "districts": ["wola"],
        "area": "Młynów",
        "founded_year": None,
        "formal_status": "informal",
        "summary": "Partnerstwo z Młynowa; kontakt przez ośrodek pomocy społecznej dzielnicy Wola.",
        "description": "Ośrodek pomocy społecznej zaprasza do współpracy organizacje, szkołę, bibliotekę i "
        "firmy z Młynowa. Partnerstwo dopiero ustala wspólne zasady i pierwsze działania, dlatego każda "
        "nowa osoba ma realny wpływ na to, czym się zajmie.",
        "goals": "Ustalić wspólne zasady współpracy.\nZorganizować pierwsze działania dla sąsiadów.",
        "contact_name": "Ośrodek Pomocy Społecznej Dzielnicy Wola",
        "contact_email": "mlyn-na-woli@example.org",
        "contact_phone": "22 000 01 09",
        "website": "",
        "conditions": [
            (True, "Animatorka z ośrodka pomocy społecznej."),
            (False, "Pierwsze działania są dopiero planowane."),
            (False, "Kanały informacji dopiero powstają."),
            (True, "Ośrodek pomocy społecznej zapewnia czas pracy animatorki."),
            (True, "Klub sąsiedzki przy Młynarskiej."),
            (False, "Na razie głównie instytucje publiczne i jedna fundacja."),
        ],
    },
    {
        "slug": RENAMED_SLUG,
        "name": "Dla Rudawki i Zatrasia",
        "districts": ["zoliborz"],
        "area": "Rudawka i Zatrasie – między ul. Broniewskiego, ul. Krasińskiego, ul. Powązkowską i al. Armii Krajowej",
        "founded_year": 2011,
        "formal_status": "declaration",
        "declaration_signed_on": date(2011, 11, 8),
        "summary": "Partnerstwo z Żoliborza, do 2018 roku znane jako „Nasz Żoliborz IV”.",
        "description": "Partnerstwo działa od 2011 roku; w 2018 roku zmieniło nazwę, by lepiej oddawała "
        "obszar, którym się zajmuje. Łączy stowarzyszenie sąsiedzkie, spółdzielnię, przedszkole, "
        "kawiarnię i grupę ogrodników. Dba o dolinę Rudawki, organizuje warsztaty i spotkania w domu "
        "sąsiedzkim.",
        "goals": "Dbać o zieleń i dolinę Rudawki.\nWspierać sąsiedzkie inicjatywy na Zatrasiu.\n"
        "Zapraszać nowych partnerów, także firmy.",
        "easy_read_summary": "Jesteśmy sąsiadami z Rudawki i Zatrasia na Żoliborzu.\n"
        "Sprzątamy dolinę Rudawki i robimy warsztaty w ogrodzie.\n"
        "Spotykamy się w domu sąsiedzkim przy ulicy Elbląskiej.\nKażdy może przyjść.",
        "contact_name": "Koordynatorka partnerstwa",
        "contact_email": "rudawka-zatrasie@example.org",
        "contact_phone": "22 000 01 10",
        "website": "https://rudawka-zatrasie.example.org/",
        "conditions": [
            (True, "Animatorka i koordynatorka oraz zespół czterech osób."),
            (True, "Sprzątanie Rudawki i warsztaty wynikają z rozmów z mieszkańcami."),
            (True, "Strona internetowa, newsletter i tablica w domu sąsiedzkim."),
            (False, "Wsparcie dzielnicy jest okazjonalne, bez stałego budżetu."),
            (True, "Dom sąsiedzki przy Elbląskiej."),
            (True, "Organizacje, instytucje, spółdzielnia, firma i grupa nieformalna."),
        ],
        "last_verified_days_ago": 8,
    },
    {
        "slug": "marymont-kaskada",
        "name": "Marymont-Kaskada",
        "districts": ["zoliborz"],
        "area": "Marymont i okolice parku Kaskada",
        "founded_year": 2013,
        "formal_status": "declaration",
        "declaration_signed_on": date(2013, 5, 22),
        "summary": "Partnerstwo koordynowane przez ośrodek pomocy społecznej Żoliborza, działa od maja 2013.",
        "description": "Partnerstwo skupia instytucje i organizacje z Marymontu. Koordynuje je ośrodek "
        "pomocy społecznej, który prowadzi też miejsce aktywności lokalnej. Latem partnerzy organizują "
        "przeglądy rowerów i spotkania w parku.",
        "goals": "Aktywizować mieszkańców Marymontu.\nWspierać osoby starsze i samotne.",
        "contact_name": "Ośrodek Pomocy Społecznej Dzielnicy Żoliborz",
        "contact_email": "marymont-kaskada@example.org",
        "contact_phone": "22 000 01 11",
        "website": "",
        "conditions": [
            (True, "Animatorka z ośrodka pomocy społecznej."),
            (True, "Działania odpowiadają na potrzeby zgłaszane w miejscu aktywności lokalnej."),
            (True, "Plakaty, strona ośrodka i lista mailowa."),
            (True, "Ośrodek pomocy społecznej finansuje część działań."),
            (True, "Miejsce aktywności lokalnej przy Rudzkiej."),
            (True, "Instytucje, organizacje, firma i klub seniora."),
        ],
    },
    {
        "slug": "zoliborz-oficerski",
        "name": "Żoliborz Oficerski",
        "districts": ["zoliborz"],
        "area": "Żoliborz Oficerski",
        "founded_year": None,
        "formal_status": "informal",
        "summary": "Partnerstwo koordynowane przez ośrodek pomocy społecznej; historia i zieleń osiedla.",
        "description": "W partnerstwie spotykają się miłośnicy historii osiedla, seniorzy i sąsiedzi "
        "dbający o ogrody. Ośrodek pomocy społecznej koordynuje spotkania, a partnerzy organizują "
        "spacery historyczne i sąsiedzkie porządki.",
        "goals": "Chronić charakter osiedla.\nPrzeciwdziałać samotności seniorów.",
        "contact_name": "Ośrodek Pomocy Społecznej Dzielnicy Żoliborz",
        "contact_email": "zoliborz-oficerski@example.org",
        "contact_phone": "22 000 01 12",
        "website": "",
        "conditions": [
            (True, "Koordynatorka z ośrodka pomocy społecznej."),
            (True, "Spacery i porządki wymyślają sami mieszkańcy."),
            (False, "Brak własnych kanałów – informacje rozsyła ośrodek."),
            (True, "Wsparcie ośrodka pomocy społecznej."),
            (False, "Korzysta gościnnie z klubu seniora."),
            (True, "Stowarzyszenie, wspólnota, kawiarnia, grupa sąsiedzka i instytucje."),
        ],
    },
    {
        "slug": "sady-zoliborskie",
        "name": "Sady Żoliborskie",
        "districts": ["zoliborz"],
        "area": "Osiedle Sady Żoliborskie",
        "founded_year": None,
        "formal_status": "informal",
        "summary": "Partnerstwo, które koordynuje szkoła podstawowa; są w nim sklepy, policja i spółdzielnia.",
        "description": "Szkoła podstawowa zaprosiła do współpracy tych, którzy na co dzień spotykają "
        "mieszkańców: sklepy, aptekę, dzielnicowego i spółdzielnię mieszkaniową. Razem dbają o "
        "bezpieczną drogę dzieci do szkoły i sąsiedzkie wydarzenia na osiedlu.",
        "goals": "Bezpieczna okolica szkoły.\nSąsiedzkie wydarzenia otwarte dla wszystkich pokoleń.",
        "contact_name": "Szkoła Podstawowa na Sadach Żoliborskich",
        "contact_email": "sady-zoliborskie@example.org",
        "contact_phone": "",
        "website": "",
        "conditions": [
            (True, "Koordynatorka – pedagożka szkolna."),
            (True, "Działania wynikają z potrzeb rodziców i sąsiadów szkoły."),
            (True, "Informacje przez dziennik szkolny i w sklepach."),
            (False, "Brak wsparcia finansowego dzielnicy."),
            (True, "Aula szkoły po lekcjach."),
            (True, "Szkoła, policja, spółdzielnia, sklepy i rada rodziców."),
        ],
        "last_verified_days_ago": 300,
    },
    {
        "slug": "moja-bialoleka",
        "name": "Partnerstwo Ulic Zielonej Białołęki „Moja Białołęka”",
        "districts": ["bialoleka"],
        "area": "Zielona Białołęka – m.in. Grodzisk, Kąty Grodziskie i Białołęka Dworska",
        "founded_year": 2008,
        "formal_status": "registered",
        "summary": "Najdłużej działające partnerstwo ulic na prawym brzegu; od lat zarejestrowane stowarzyszenie.",
        "description": "Partnerstwo zaczęło od mieszkańców kilku ulic, którzy wspólnie zabiegali o "
        "chodniki i oświetlenie. Z czasem zarejestrowało stowarzyszenie, co pozwala mu samodzielnie "
        "składać wnioski i prowadzić projekty. Zajmuje się zielenią, drogami i planowaniem przestrzeni.",
        "goals": "Dbać o zieleń i przestrzeń Zielonej Białołęki.\nZabierać głos w sprawach planu miejscowego.",
        "contact_name": "Zarząd stowarzyszenia",
        "contact_email": "moja-bialoleka@example.org",
        "contact_phone": "22 000 01 14",
        "website": "https://moja-bialoleka.example.org/",
        "conditions": [
            (True, "Zarząd stowarzyszenia i społeczni animatorzy ulic."),
            (True, "Projekty wynikają ze spotkań mieszkańców poszczególnych ulic."),
            (True, "Strona, newsletter i spotkania ulic."),
            (True, "Granty dzielnicy i miasta na projekty zielone."),
            (True, "Dom kultury i świetlica sąsiedzka w Grodzisku."),
            (True, "Stowarzyszenia, dom kultury, szkoła, ogrody działkowe, firma i parafia."),
        ],
        "last_verified_days_ago": 60,
    },
    {
        "slug": "forum-niepelnosprawnosc-intelektualna",
        "name": "Warszawskie Forum Inicjatyw na rzecz Osób z Niepełnosprawnością Intelektualną",
        "kind": "thematic",
        "districts": [],
        "citywide": True,
        "area": "Cała Warszawa",
        "founded_year": 2012,
        "formal_status": "declaration",
        "declaration_signed_on": date(2012, 10, 4),
        "summary": "Partnerstwo tematyczne około dwudziestu organizacji; od 2015 roku prowadzi kręgi wsparcia.",
        "description": "Forum założyli w 2012 roku warszawskie koło PSOUU i BORIS. Zrzesza organizacje, "
        "placówki i grupy rodziców, które działają na rzecz osób z niepełnosprawnością intelektualną w "
        "całym mieście. Od 2015 roku prowadzi kręgi wsparcia, a sieci podpowiada, jak przygotowywać "
        "wydarzenia dostępne dla wszystkich.",
        "goals": "Wymieniać doświadczenia organizacji z całej Warszawy.\nRozwijać kręgi wsparcia.\n"
        "Upowszechniać tekst łatwy do czytania i dostępne wydarzenia.",
        "easy_read_summary": "Forum to grupa organizacji z całej Warszawy.\n"
        "Pomagamy osobom z niepełnosprawnością intelektualną i ich rodzinom.\n"
        "Rodzice spotykają się w kręgach wsparcia.\nSpotkania są przy ulicy Hożej.",
        "contact_name": "Sekretariat Forum",
        "contact_email": "forum-inicjatyw@example.org",
        "contact_phone": "22 000 01 15",
        "website": "https://forum-inicjatyw.example.org/",
        "conditions": [
            (True, "Koordynatorka z PSOUU i zespół przedstawicieli organizacji."),
            (True, "Kręgi wsparcia odpowiadają na potrzeby rodzin."),
            (True, "Newsletter, strona i materiały w tekście łatwym do czytania."),
            (True, "Miasto wspiera kręgi wsparcia w konkursach grantowych."),
            (True, "Pracownia integracyjna przy Hożej."),
            (False, "Głównie organizacje pozarządowe i placówki – mało firm i instytucji kultury."),
        ],
        "last_verified_days_ago": 30,
    },
]
