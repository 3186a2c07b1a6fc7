"""Demo data: invented people, their roles, the network's working groups and positions.

Every person here is fictional: names are made up, e-mails are at example.org and
phone numbers (22 000 00 xx) do not exist. The loader adds DEMO_BIO_MARK to each bio.
"""

from datetime import date

DEMO_BIO_MARK = "(Osoba fikcyjna – dane demonstracyjne.)"

# The person behind the demo coordinator account.
COORDINATOR_PERSON = "joanna-rudnicka"

# slug, first name, last name, short bio (without the demo mark), consent to publish contact?
# fmt: off
PEOPLE = [
    ("malgorzata-wrzos", "Małgorzata", "Wrzos", "Animatorka klubu sąsiedzkiego na Ochocie, "
     "prowadzi spotkania komisji Koalicji.", True),
    ("jadwiga-nowicka", "Jadwiga", "Nowicka", "Pierwsza animatorka Koalicji, dziś wspiera ją radą.", False),
    ("tomasz-lipiec", "Tomasz", "Lipiec", "Pracownik socjalny, łączy Koalicję z ośrodkiem pomocy społecznej.",
     True),
    ("irena-kasprzak", "Irena", "Kasprzak", "Seniorka, liderka grupy „Aktywne Szczęśliwice”.", False),
    ("pawel-rogalski", "Paweł", "Rogalski", "Nauczyciel WOS-u, opiekun szkolnego wolontariatu.", False),
    ("agnieszka-sowa", "Agnieszka", "Sowa", "Koordynuje partnerstwo „Moje Wierzbno” z ramienia ośrodka "
     "pomocy społecznej.", True),
    ("marek-dabek", "Marek", "Dąbek", "Społecznik z Wierzbna, organizuje kiermasze książek.", False),
    ("lucyna-jarosz", "Lucyna", "Jarosz", "Bibliotekarka, przez lata gospodyni spotkań w czytelni.", False),
    ("beata-kwiatkowska", "Beata", "Kwiatkowska", "Była animatorka partnerstwa na Sielcach.", False),
    ("roman-maj", "Roman", "Maj", "Mieszkaniec Sielc, jeden z inicjatorów grupy „Sielce-Reaktywacja”.", True),
    ("krzysztof-baran", "Krzysztof", "Baran", "Animator ze Służewca, zaprasza firmy do współpracy z osiedlem.",
     True),
    ("natalia-wojcik", "Natalia", "Wójcik", "Koordynuje wolontariat pracowniczy w biurowcach na Służewcu.",
     False),
    ("elzbieta-gorska", "Elżbieta", "Górska", "Kierowniczka klubu osiedlowego, koordynatorka porozumienia "
     "„Nasze Stegny”.", True),
    ("halina-pietrzak", "Halina", "Pietrzak", "Prowadzi warsztaty rękodzieła dla seniorów.", False),
    ("michal-zawadzki", "Michał", "Zawadzki", "Organizator rodzinnego biegu na Stegnach.", False),
    ("zofia-lewandowska", "Zofia", "Lewandowska", "Animatorka Partnerstwa Starego Mokotowa, "
     "architektka krajobrazu.", False),
    ("jakub-sikora", "Jakub", "Sikora", "Koordynator partnerstwa, prowadzi rozmowy z dzielnicą o centrum "
     "lokalnym.", True),
    ("aleksandra-mazur", "Aleksandra", "Mazur", "Prowadzi spacery badawcze wokół Skweru Orszy.", False),
    ("katarzyna-wisniewska", "Katarzyna", "Wiśniewska", "Animatorka Partnerstwa dla Powiśla "
     "i dyrektorka festiwalu sąsiedzkiego.", True),
    ("adam-kolodziej", "Adam", "Kołodziej", "Koordynuje prace partnerstwa na Powiślu.", False),
    ("monika-zalewska", "Monika", "Zalewska", "Koordynuje wolontariuszy festiwalu.", False),
    ("bartosz-wrona", "Bartosz", "Wrona", "Animator miejsca aktywności lokalnej na Muranowie, kucharz-amator.",
     True),
    ("hanna-szymczak", "Hanna", "Szymczak", "Mieszkanka Muranowa od urodzenia, zbiera historie sąsiadów.",
     False),
    ("dorota-malinowska", "Dorota", "Malinowska", "Animatorka z ośrodka pomocy społecznej na Woli.", True),
    ("lukasz-ostrowski", "Łukasz", "Ostrowski", "Prowadzi kino podwórkowe na Młynowie.", False),
    ("joanna-rudnicka", "Joanna", "Rudnicka", "Koordynatorka partnerstwa Dla Rudawki i Zatrasia, "
     "z zawodu bibliotekarka.", True),
    ("marta-zielinska", "Marta", "Zielińska", "Animatorka partnerstwa, prowadzi warsztaty ogrodnicze.", True),
    ("wojciech-kaminski", "Wojciech", "Kamiński", "Animator partnerstwa w czasach „Naszego Żoliborza IV”.",
     False),
    ("grzegorz-pawlak", "Grzegorz", "Pawlak", "Członek rady spółdzielni, dba o zieleń osiedla.", False),
    ("anna-michalska", "Anna", "Michalska", "Liderka grupy „Zielone Zatrasie”.", False),
    ("iwona-czarnecka", "Iwona", "Czarnecka", "Animatorka ośrodka pomocy społecznej na Żoliborzu.", True),
    ("stanislaw-krol", "Stanisław", "Król", "Przewodniczący klubu seniora na Marymoncie.", False),
    ("piotr-adamczyk", "Piotr", "Adamczyk", "Rowerzysta i społecznik, organizuje przeglądy rowerów.", False),
    ("renata-olszewska", "Renata", "Olszewska", "Koordynatorka partnerstwa Żoliborz Oficerski.", True),
    ("jerzy-baranowski", "Jerzy", "Baranowski", "Przewodnik po historii Żoliborza Oficerskiego.", False),
    ("beata-nowakowska", "Beata", "Nowakowska", "Pedagożka szkolna, koordynuje partnerstwo Sady Żoliborskie.",
     True),
    ("kamil-lis", "Kamil", "Lis", "Dzielnicowy, spotyka się z rodzicami i sąsiadami szkoły.", False),
    ("andrzej-kowalik", "Andrzej", "Kowalik", "Prezes stowarzyszenia „Moja Białołęka”.", True),
    ("ewelina-sadowska", "Ewelina", "Sadowska", "Animatorka ulic Zielonej Białołęki.", False),
    ("rafal-jablonski", "Rafał", "Jabłoński", "Organizuje rajdy rowerowe po Białołęce.", False),
    ("teresa-milewska", "Teresa", "Milewska", "Koordynatorka Forum Inicjatyw, mama dorosłego syna "
     "z niepełnosprawnością intelektualną.", True),
    ("karolina-borowska", "Karolina", "Borowska", "Animatorka sieci w BORIS, wspiera partnerstwa "
     "w całej Warszawie.", True),
    ("maciej-gorecki", "Maciej", "Górecki", "Prowadzi kręgi wsparcia dla rodziców.", False),
    ("agata-sieczko", "Agata", "Sieczko", "Superwizorka i trenerka, prowadzi superwizje dla animatorów sieci.",
     True),
]
# fmt: on

A, CO, T, K = "animator", "coordinator", "team", "contact"


def d(text):
    return date.fromisoformat(text)


# person slug, partnership slug, role, on behalf of organisation (slug or None), since, until
# fmt: off
ROLES = [
    ("malgorzata-wrzos", "koalicja-na-rzecz-ochoty", A, "stowarzyszenie-klub-sasiedzki-ochota", d("2015-01-01"), None),
    ("malgorzata-wrzos", "koalicja-na-rzecz-ochoty", K, "stowarzyszenie-klub-sasiedzki-ochota", d("2015-01-01"), None),
    ("jadwiga-nowicka", "koalicja-na-rzecz-ochoty", A, "stowarzyszenie-klub-sasiedzki-ochota", d("2001-03-01"),
     d("2014-12-31")),
    ("tomasz-lipiec", "koalicja-na-rzecz-ochoty", CO, "ops-ochota", d("2016-09-01"), None),
    ("irena-kasprzak", "koalicja-na-rzecz-ochoty", T, "grupa-aktywne-szczesliwice", d("2018-01-01"), None),
    ("pawel-rogalski", "koalicja-na-rzecz-ochoty", T, "liceum-na-ochocie", d("2019-09-01"), None),
    ("agnieszka-sowa", "moje-wierzbno", CO, "ops-mokotow", d("2014-02-01"), None),
    ("agnieszka-sowa", "moje-wierzbno", K, "ops-mokotow", d("2014-02-01"), None),
    ("marek-dabek", "moje-wierzbno", T, "stowarzyszenie-przyjaciol-wierzbna", d("2012-01-01"), None),
    ("lucyna-jarosz", "moje-wierzbno", T, "biblioteka-mokotow", d("2009-05-01"), d("2021-06-30")),
    ("beata-kwiatkowska", "moje-sielce", A, "fundacja-sieleckie-podworka", d("2009-06-01"), d("2019-08-31")),
    ("roman-maj", "moje-sielce", K, "grupa-sielce-reaktywacja", d("2023-03-01"), None),
    ("krzysztof-baran", "moj-sluzewiec", A, "stowarzyszenie-mieszkancow-sluzewca", d("2016-03-01"), None),
    ("krzysztof-baran", "moj-sluzewiec", K, "stowarzyszenie-mieszkancow-sluzewca", d("2016-03-01"), None),
    ("natalia-wojcik", "moj-sluzewiec", T, "sluzewiec-office-park", d("2019-05-01"), None),
    ("elzbieta-gorska", "nasze-stegny", CO, "sm-stegny", d("2012-04-18"), None),
    ("elzbieta-gorska", "nasze-stegny", K, "sm-stegny", d("2012-04-18"), None),
    ("halina-pietrzak", "nasze-stegny", T, "klub-seniora-stegienka", d("2015-01-01"), None),
    ("michal-zawadzki", "nasze-stegny", T, "fundacja-stegny-razem", d("2018-02-01"), None),
    ("zofia-lewandowska", "partnerstwo-starego-mokotowa", A, "stowarzyszenie-stary-mokotow", d("2017-02-01"), None),
    ("jakub-sikora", "partnerstwo-starego-mokotowa", CO, "stowarzyszenie-stary-mokotow", d("2017-02-01"), None),
    ("jakub-sikora", "partnerstwo-starego-mokotowa", K, "stowarzyszenie-stary-mokotow", d("2017-02-01"), None),
    ("aleksandra-mazur", "partnerstwo-starego-mokotowa", T, "grupa-sasiedzka-kazimierzowska", d("2019-04-01"), None),
    ("katarzyna-wisniewska", "partnerstwo-dla-powisla", A, "fundacja-powislanska", d("2015-09-10"), None),
    ("katarzyna-wisniewska", "partnerstwo-dla-powisla", K, "fundacja-powislanska", d("2015-09-10"), None),
    ("adam-kolodziej", "partnerstwo-dla-powisla", CO, "stowarzyszenie-solec", d("2018-01-01"), None),
    ("monika-zalewska", "partnerstwo-dla-powisla", T, "grupa-festiwalowa-powisle", d("2018-04-01"), None),
    ("bartosz-wrona", "przepis-na-muranow", A, "fundacja-muranowska", d("2017-03-01"), None),
    ("bartosz-wrona", "przepis-na-muranow", K, "fundacja-muranowska", d("2017-03-01"), None),
    ("hanna-szymczak", "przepis-na-muranow", T, "grupa-podworka-muranowa", d("2017-03-01"), None),
    ("dorota-malinowska", "mlyn-na-woli", A, "ops-wola", d("2025-09-01"), None),
    ("dorota-malinowska", "mlyn-na-woli", K, "ops-wola", d("2025-09-01"), None),
    ("lukasz-ostrowski", "mlyn-na-woli", T, "fundacja-mlynow-sasiedzki", d("2025-10-01"), None),
    ("joanna-rudnicka", "dla-rudawki-i-zatrasia", CO, "stowarzyszenie-sasiedzi-z-rudawki", d("2016-01-01"), None),
    ("joanna-rudnicka", "dla-rudawki-i-zatrasia", K, "stowarzyszenie-sasiedzi-z-rudawki", d("2016-01-01"), None),
    ("marta-zielinska", "dla-rudawki-i-zatrasia", A, "stowarzyszenie-sasiedzi-z-rudawki", d("2019-03-01"), None),
    ("wojciech-kaminski", "dla-rudawki-i-zatrasia", A, "fundacja-dolina-rudawki", d("2011-11-08"), d("2018-12-31")),
    ("grzegorz-pawlak", "dla-rudawki-i-zatrasia", T, "sm-zatrasie", d("2014-03-01"), None),
    ("anna-michalska", "dla-rudawki-i-zatrasia", T, "grupa-zielone-zatrasie", d("2019-04-01"), None),
    ("iwona-czarnecka", "marymont-kaskada", A, "ops-zoliborz", d("2013-05-22"), None),
    ("iwona-czarnecka", "marymont-kaskada", K, "ops-zoliborz", d("2013-05-22"), None),
    ("stanislaw-krol", "marymont-kaskada", T, "klub-seniora-marymont", d("2015-01-01"), None),
    ("piotr-adamczyk", "marymont-kaskada", T, "stowarzyszenie-rowerowy-marymont", d("2016-03-01"), None),
    ("renata-olszewska", "zoliborz-oficerski", CO, "ops-zoliborz", d("2014-02-01"), None),
    ("renata-olszewska", "zoliborz-oficerski", K, "ops-zoliborz", d("2014-02-01"), None),
    ("iwona-czarnecka", "zoliborz-oficerski", T, "ops-zoliborz", d("2020-01-01"), None),
    ("jerzy-baranowski", "zoliborz-oficerski", T, "stowarzyszenie-zoliborz-oficerski", d("2014-02-01"), None),
    ("beata-nowakowska", "sady-zoliborskie", CO, "sp-sady-zoliborskie", d("2015-09-01"), None),
    ("beata-nowakowska", "sady-zoliborskie", K, "sp-sady-zoliborskie", d("2015-09-01"), None),
    ("kamil-lis", "sady-zoliborskie", T, "komisariat-policji-zoliborz", d("2021-02-01"), None),
    ("andrzej-kowalik", "moja-bialoleka", CO, "stowarzyszenie-moja-bialoleka", d("2008-06-01"), None),
    ("andrzej-kowalik", "moja-bialoleka", K, "stowarzyszenie-moja-bialoleka", d("2008-06-01"), None),
    ("ewelina-sadowska", "moja-bialoleka", A, "stowarzyszenie-moja-bialoleka", d("2017-03-01"), None),
    ("rafal-jablonski", "moja-bialoleka", T, "grupa-rowerowa-bialoleka", d("2016-05-01"), None),
    ("teresa-milewska", "forum-niepelnosprawnosc-intelektualna", CO, "psouu-kolo-warszawa", d("2012-10-04"), None),
    ("teresa-milewska", "forum-niepelnosprawnosc-intelektualna", K, "psouu-kolo-warszawa", d("2012-10-04"), None),
    ("karolina-borowska", "forum-niepelnosprawnosc-intelektualna", T, "boris", d("2012-10-04"), None),
    ("maciej-gorecki", "forum-niepelnosprawnosc-intelektualna", T, "stowarzyszenie-razem-latwiej", d("2015-04-01"),
     None),
]
# fmt: on

# slug, name, purpose, description, established, dissolved,
# [(person slug, function, since, until)], [partnership slugs]
WORKING_GROUPS = [
    (
        "zespol-ds-komunikacji",
        "Zespół ds. komunikacji sieci",
        "Dba o to, by mieszkańcy i partnerzy wiedzieli, co dzieje się w sieci.",
        "Zespół prowadzi stronę i newsletter sieci, zbiera zapowiedzi wydarzeń od partnerstw i pomaga "
        "im w prostych materiałach informacyjnych.",
        d("2019-02-12"),
        None,
        [
            ("karolina-borowska", "liderka zespołu", d("2019-02-12"), None),
            ("katarzyna-wisniewska", "", d("2019-02-12"), None),
            ("joanna-rudnicka", "", d("2020-05-01"), None),
            ("bartosz-wrona", "", d("2019-02-12"), d("2022-12-31")),
        ],
        ["partnerstwo-dla-powisla", "dla-rudawki-i-zatrasia", "przepis-na-muranow", "koalicja-na-rzecz-ochoty"],
    ),
    (
        "zespol-ds-miejsc-aktywnosci-lokalnej",
        "Zespół ds. miejsc aktywności lokalnej",
        "Zabiega o to, by każde partnerstwo miało miejsce do działania.",
        "Zespół zbiera doświadczenia partnerstw korzystających z miejsc aktywności lokalnej i domów "
        "sąsiedzkich, przygotowuje mapę takich miejsc i rozmawia z dzielnicami o nowych lokalach.",
        d("2018-05-10"),
        None,
        [
            ("iwona-czarnecka", "liderka zespołu", d("2018-05-10"), None),
            ("zofia-lewandowska", "", d("2018-05-10"), None),
            ("malgorzata-wrzos", "", d("2019-01-15"), None),
            ("dorota-malinowska", "", d("2025-10-01"), None),
        ],
        ["marymont-kaskada", "partnerstwo-starego-mokotowa", "koalicja-na-rzecz-ochoty", "mlyn-na-woli"],
    ),
    (
        "zespol-ds-karty-wspolpracy",
        "Zespół ds. karty współpracy",
        "Przygotował projekt karty współpracy sieci.",
        "Zespół powołany po spotkaniu koordynatorów wiosną 2017 roku. Zebrał uwagi partnerstw do projektu "
        "karty, a po jej przyjęciu zakończył pracę.",
        d("2017-03-29"),
        d("2017-12-06"),
        [
            ("agnieszka-sowa", "liderka zespołu", d("2017-03-29"), d("2017-12-06")),
            ("andrzej-kowalik", "", d("2017-03-29"), d("2017-12-06")),
            ("elzbieta-gorska", "", d("2017-03-29"), d("2017-12-06")),
        ],
        ["moje-wierzbno", "moja-bialoleka", "nasze-stegny"],
    ),
    (
        "zespol-ds-dostepnosci",
        "Zespół ds. dostępności wydarzeń",
        "Pomaga partnerstwom organizować wydarzenia dostępne dla wszystkich.",
        "Zespół przygotowuje listy kontrolne dostępności, tłumaczy zaproszenia na tekst łatwy do czytania "
        "i doradza przy wyborze miejsc spotkań.",
        d("2021-10-06"),
        None,
        [
            ("teresa-milewska", "liderka zespołu", d("2021-10-06"), None),
            ("maciej-gorecki", "", d("2021-10-06"), None),
            ("beata-nowakowska", "", d("2022-09-01"), None),
        ],
        ["forum-niepelnosprawnosc-intelektualna", "sady-zoliborskie", "koalicja-na-rzecz-ochoty"],
    ),
]

# slug, title, adopted on, working group slug (or None), summary, body, supporting partnerships
POSITIONS = [
    (
        "karta-wspolpracy-wspl",
        "Stanowisko w sprawie karty współpracy WSPL",
        d("2017-12-06"),
        "zespol-ds-karty-wspolpracy",
        "Sieć przyjmuje kartę współpracy: wspólne wartości, warunki rozwoju partnerstw i zadania sieci.",
        "Partnerstwa zrzeszone w sieci przyjmują kartę współpracy jako wspólny punkt odniesienia. Karta "
        "opisuje, czym jest partnerstwo lokalne, jakie warunki sprzyjają jego rozwojowi i co daje udział "
        "w sieci.\n\nKarta nie zastępuje deklaracji ani zasad poszczególnych partnerstw. Każde z nich "
        "może działać formalnie albo nieformalnie – ważne, by współpraca była otwarta i wielosektorowa.",
        [
            "moje-wierzbno",
            "moja-bialoleka",
            "nasze-stegny",
            "koalicja-na-rzecz-ochoty",
            "partnerstwo-dla-powisla",
            "dla-rudawki-i-zatrasia",
            "marymont-kaskada",
        ],
    ),
    (
        "miejsca-aktywnosci-lokalnej",
        "Stanowisko w sprawie miejsc aktywności lokalnej w każdej dzielnicy",
        d("2019-06-18"),
        "zespol-ds-miejsc-aktywnosci-lokalnej",
        "Każde partnerstwo potrzebuje stałego miejsca do działania – sieć prosi dzielnice o ich zapewnienie.",
        "Doświadczenie partnerstw pokazuje, że bez stałego miejsca spotkań współpraca słabnie. Sieć "
        "zwraca się do władz dzielnic o udostępnianie lokali na miejsca aktywności lokalnej i domy "
        "sąsiedzkie, zwłaszcza tam, gdzie partnerstwa dopiero powstają.\n\nDeklarujemy pomoc w "
        "planowaniu programu takich miejsc razem z mieszkańcami.",
        [
            "marymont-kaskada",
            "partnerstwo-starego-mokotowa",
            "koalicja-na-rzecz-ochoty",
            "przepis-na-muranow",
            "moje-sielce",
        ],
    ),
    (
        "finansowanie-animacji",
        "Stanowisko w sprawie stałego finansowania animacji partnerstw",
        d("2021-03-24"),
        None,
        "Praca animatora to podstawa partnerstwa; sieć apeluje o stabilne, wieloletnie finansowanie.",
        "Animatorki i animatorzy partnerstw często pracują w krótkich projektach albo społecznie. Gdy "
        "projekt się kończy, partnerstwo traci osobę, która je spaja.\n\nSieć prosi miasto i dzielnice o "
        "wieloletnie finansowanie animacji w partnerstwach lokalnych oraz o uwzględnienie superwizji i "
        "szkoleń dla osób animujących.",
        ["moje-sielce", "mlyn-na-woli", "dla-rudawki-i-zatrasia", "moj-sluzewiec", "zoliborz-oficerski"],
    ),
    (
        "dostepnosc-wydarzen",
        "Stanowisko w sprawie dostępności wydarzeń lokalnych",
        d("2022-11-16"),
        "zespol-ds-dostepnosci",
        "Wydarzenia partnerstw mają być dostępne dla wszystkich, także dla osób z niepełnosprawnością intelektualną.",
        "Sieć zobowiązuje się, że zaproszenia na wydarzenia będą zawierać informację o dostępności "
        "miejsca, a najważniejsze z nich – także wersję w tekście łatwym do czytania.\n\nZachęcamy "
        "partnerstwa do korzystania z pomocy zespołu ds. dostępności i do zapraszania osób z "
        "niepełnosprawnościami do planowania działań.",
        ["forum-niepelnosprawnosc-intelektualna", "sady-zoliborskie", "koalicja-na-rzecz-ochoty", "nasze-stegny"],
    ),
    (
        "budzety-dzielnic",
        "Stanowisko w sprawie udziału partnerstw w planowaniu budżetów dzielnic",
        d("2025-02-19"),
        None,
        "Partnerstwa znają potrzeby swoich okolic – sieć proponuje, by dzielnice pytały je o zdanie przy "
        "planowaniu budżetów.",
        "Partnerstwa lokalne co roku zbierają pomysły i potrzeby mieszkańców. Ta wiedza rzadko trafia do "
        "osób planujących budżety dzielnic.\n\nSieć proponuje coroczne spotkania partnerstw z zarządami "
        "dzielnic przed przygotowaniem projektów budżetów oraz jasną informację zwrotną o tym, które "
        "propozycje zostały uwzględnione.",
        ["moja-bialoleka", "partnerstwo-dla-powisla", "moje-wierzbno", "partnerstwo-starego-mokotowa"],
    ),
]
