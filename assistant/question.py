"""What a question asks: its kind (definition, list, a value, a reason, …) and its focus (the concepts asked about).

Deterministic and model-free, in Dutch and English. The focus decides which passage answers and
whether any does; so concepts are weighed by how specific a word is in the language at large
(wordfreq's Zipf frequency), not by how often the ingested notes use it: adding unrelated
documents to the corpus must not change what a question is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN_PLUS

from assistant.glossary import lemma_en, spans
from assistant.glossary import words as split_words
from ikc.text import fold, sentences, terms

# Kinds of question; the composer fits the answer unit to the kind.
DEFINITION, LIST, VALUE, REASON, PROCEDURE, YES_NO, COMPARE, FACTUAL = (
    "definition", "list", "value", "reason", "procedure", "yes_no", "compare", "factual")

# Words that frame a question rather than say what it is about.
FRAME = frozenset(
    "welke welk wat wie waar wanneer hoe hoeveel waarom waardoor waarvoor volgens notitie notities gemeente gemeenten "
    "noemt noemen genoemd zegt zeggen zei zeiden gezegd schrijft schreef schreven geschreven "
    "staat staan document documenten handreiking visie kennisnotitie beschrijft "
    "beschrijven beschreven bedoelt bedoeld verstaat verstaan betekent betekenen betekende betekenis "
    "definieert definiëren definieer gedefinieerd define defines defined "
    "uitvoeringsprogramma vertel leg uit precies eigenlijk concreet specifiek concretely specifically "
    "geeft geven gegeven worden wordt werd noem kort samengevat belangrijkste graag weten vraag vragen "
    "which what who whom whose where when how why according note notes handbook vision document documents "
    "municipality municipalities say says said mention mentions mentioned mean means meant describe describes "
    "described does did do give gives tell explain exactly actually also there their they them about list name "
    "zou zouden kan kunnen moet moeten mag mogen wil willen zal zullen heeft hebben had hadden "
    "is zijn was waren er dan nog ook al wel please briefly main per elkaar "
    # a copula as "is" is ("Tot welke leeftijd blijft een indicatie geldig?": what stays is the topic, not the staying)
    "blijft blijven bleef bleven remain remains remained stays "
    # the form of a condition ("wanneer telt … als", "wanneer is er sprake van …", "when does … count as …")
    "telt sprake count counts "
    # "wat valt er verder onder": what falls under something, and the rest of it
    "valt vallen viel vielen verder else "
    # conjunctions the stopword list lacks: they join the question's clauses, they are no topic
    "nadat voordat zodra terwijl doordat zodat tenzij indien "
    # the country every note is about: "in Nederland" tells no note or passage from another
    "nederland netherlands "
    # question words written as one ("Voor hoelang?")
    "hoelang hoeveelste "
    # the form of a comparison, not its topic ("overeenkomst" alone is as often a contract: a topic)
    "tussen between verschil verschillen overeenkomsten vergelijk vergelijking difference differences compare comparison "
    "similarities similarity differ differs differed "
    # what a document does with a figure or a source ("the return they quote"), and documents named as kinds
    "quote quotes quoted cite cites cited guide guides "
    # what the text does with its topic, as "say" and "describe" are
    "distinguish distinguishes emphasise emphasises emphasize emphasizes stress stresses onderscheidt benadrukt "
    "benadrukken "
    # prepositions the stopword lists lack ("Rond welke openingstijden …?"), and hedges ("ongeveer", "roughly")
    "rond rondom omtrent around ongeveer circa ruwweg zowat approximately roughly "
    "sinds vanaf tijdens naast via behalve ondanks wegens langs "
    # adverbs of time that set up a condition ("als die visie er eenmaal ligt", "once the vision is there")
    "eenmaal eens once "
    # what an acronym question calls its term ("Waar staat de afkorting TBVA voor?", "What does the acronym … stand for?")
    "afkorting afkortingen acroniem acronym acronyms abbreviation abbreviations voluit stand stands "
    # English function words the stopword list lacks (the open sets' English questions, 2026-11-28)
    "many every really we've we're we'd they're it's still yet already must everyone since though anyway honestly "
    "something anything everything else lot sure whole things thing come went put intend intends intended "
    # how a request is put ("Kun je in één zin zeggen …"), and manner words that say how well, not what
    "zin sentence kun kan could would soepel vlot smoothly seamlessly "
    # what a thing holds, asked of the thing: the form of the question ("What does the toolkit contain?"), not its topic
    "contain contains containing bevat bevatten "
    # what a reason question calls the reason ("Wat is daar de gedachte achter?", "the idea behind it")
    "gedachte achter achterliggende redenering rationale idea thinking reasoning behind "
    # where the asker read it ("In de handreiking lees ik dat …", "I read that …")
    "lees lezen las gelezen read "
    # what a term amounts to, asked as "wat houdt X in" (written apart, read as one verb): the form of a definition
    "inhoudt inhouden inhield".split()
)
FUNCTION_WORDS = frozenset(STOPWORDS_DUTCH) | frozenset(STOPWORDS_EN_PLUS)
STOP = FUNCTION_WORDS | FRAME
# "daarvan", "hierbij", "waarover": a pronominal adverb points at something said before; it is never the topic.
_PRONOMINAL_ADVERB = re.compile(r"^(?:daar|hier|er|waar)(?:aan|achter|bij|binnen|buiten|door|in|langs|mee|na|naast|om|onder|"
                                r"op|over|tegen|toe|tussen|uit|van|voor|zonder)$")

# Specificity = how rare a word is in the language (wordfreq Zipf: 7 = "de", 1 = very rare).
# A word at Zipf 6.5+ carries no topic; rarer words weigh up to MAX_WEIGHT. The range was read off
# the notes' vocabulary: "gemeente" 5.4 → 1.6, "kinderopvang" 4.0 → 3.0, "peuteropvang" 1.2 → 5.
ZIPF_TOP = 7.0
MAX_WEIGHT = 5.0
MIN_WEIGHT = 0.3
VERB_WEIGHT = 0.4
# A capitalised word this common in English (Zipf; "Netherlands" 4.4, "Almere" 1.9) is a word, not a name.
COMMON_ENGLISH = 3.5
# A number or year in the question weighs like a specific word, not more: it is often context
# ("in de collegeperiode 2018-2022"); missing, it still lowers the focus share.
NUMBER_WEIGHT = 3.5  # an inflected verb rarely names what is asked about; nouns do

_DEFINITION = re.compile(
    # (after a phrase naming where: "In the childcare quality decree, what is meant by …", "Volgens de wet, wat is …")
    r"^\s*(?:(?:in|according\s+to|volgens|bij|under|onder)\b[^,?]{1,80},\s*)?"
    r"(?:wat\s+(?:is|zijn|betekent|betekenen|houdt|houden)\b|wat\s+(?:verstaa?t?\w*|bedoel\w*)\b|"
    r"wie\s+is\b.*\been\s+[\w'’-]+\s*\?\s*$|"  # "Wie is (volgens …) een bemiddelingsmedewerker?": what such a person is
    r"waar\s+staat\b|what\s+(?:is|are)\s+(?:a|an|the)?\b|what\s+(?:does|do)\b.*\b(?:mean|stands?\s+for)\b|define\b|"
    r"what\s+is\s+meant\s+by|wat\s+wordt\s+.*\b(?:bedoeld|verstaan)\b|definitie\s+van|omschrijving\s+van|"
    r"what\s+(?:exactly\s+)?counts?\s+as\b|wat\s+(?:precies\s+)?(?:geldt|telt)\s+als\b|"
    # what a term covers: "Wat valt er volgens de wet eigenlijk onder 'kinderopvang'?" (not what else, or what not)
    r"wat\s+(?:precies\s+)?valt\s+(?:er\s+)?(?:(?!verder\b|niet\b|nog\b|meer\b)[\w'’-]+\s+){0,6}?onder\b|"
    # the condition under which a name applies is its definition: "Wanneer telt een diploma als vergelijkbaar?"
    r"wanneer\s+(?:\w+\s+){1,5}?(?:als|sprake\s+van)\b|when\s+(?:\w+\s+){1,5}?(?:counts?|qualif\w*|considered|regarded)\b|"
    # a request around it: "Kun je in één zin zeggen wat Lansingerland onder een IKC verstaat?"
    r".{0,40}\bwat\s+.{1,40}\bonder\s+.{1,60}\bversta(?:at|an)\b|"
    r"hoe\s+(?:omschrijft|definieert|typeert|omschrijven|definiëren)\b|how\s+(?:does|do)\s+.*\b(?:define|describe)\b)",
    re.I)
_LIST = re.compile(
    r"\b(?:welke|noem|som\s+\w+\s+op|wat\s+zijn\s+de|which|what\s+are\s+the|list|name\s+the|enumerate|"
    r"uit\s+welke|what\s+(?:\w+\s+){0,2}(?:does|do|did)\s+.*\b(?:distinguish|name|list|mention))\b", re.I)
_COUNTED = re.compile(r"\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|two|three|four|five|six|seven|eight|nine|ten|"
                      r"\d{1,2})\s+([a-zà-ÿ'’-]+)", re.I)
# "Which earlier initiatives does …": an English plural noun, after one modifier, before the auxiliary that
# opens the clause (not "which organisation provides services", where the -s word is the verb).
# ("What concrete benefits for parents does …": a short phrase may qualify the plural before the auxiliary)
_PLURAL_BEFORE_AUX = re.compile(r"\b(?:which|what)\s+(?:[a-z-]+\s+)?([a-z'’-]+(?:s|ies))"
                                r"(?:\s+(?:for|of|in|from|to|at|on|with)\s+(?:the\s+|a\s+|an\s+)?[\w'’-]+)?"
                                r"\s+(?:do|does|did|are|were|have|has|can|could|should|must|will|would)\b", re.I)
# What a thing holds, asked of the thing ("What's in it?", "What does the toolkit contain?", "Wat zit erin?").
_CONTAINS = re.compile(r"^\W*(?:what\s+is\s+in\s+(?:it|them|the\s+[\w-]+)(?:\s+(?:that|which|they|we|you)\b[^?]*)?\s*\??\s*$|"
                       r"what\s+(?:does|do)\s+(?:it|they|(?:the|that|this|these|those|its|their)\s+[\w-]+)\s+"
                       r"(?:contain|include)|wat\s+(?:zit|zitten|staat|staan)\s+(?:er\s+)?in\b|wat\s+(?:zit|staat)\s+erin)",
                       re.I)
_CONSISTS = re.compile(r"\b(?:consists?\s+of|comprises?|waaruit|bestaa?t\w*\s+(?:[\w'’-]+\s+){0,5}uit\b)", re.I)
# Who is in a body asks what it is made of ("Wie zaten er in de commissie?" ~ "Waaruit bestond de commissie?").
_MEMBERS = re.compile(r"^\s*(?:wie\s+(?:zitten|zaten|zit|zat)\s+(?:er\s+)?(?:in|op)\b|who\s+(?:sits?|sat|served?|serves)\s+(?:on|in)\b|"
                      r"(?:wie|who)\b.{0,30}\b(?:leden|members)\s+(?:van|of)\b)", re.I)
# (a Latin plural ends in -ia: "welke wettelijke criteria")
_PLURAL_AFTER_WHICH = re.compile(r"\b(?:welke|which|what)\s+(?:\w+e\s+)?([a-zà-ÿ'’-]+(?:en|s|'s|’s|ën|ies|ia))\b", re.I)
_SIDE = r"(?:(?:een|de|het|a|an|the)\s+)?(?P<{}>[^,.;:?()]{{2,60}}?)(?:\s*\([^)]*\))?"
_SIDES = [re.compile(p, re.I) for p in (
    r"\b(?:tussen|between)\s+" + _SIDE.format("a") + r"\s+(?:en|and)\s+" + _SIDE.format("b")
    + r"(?=\s*(?:[,.;:?(]|$|volgens|according|in\s+de|in\s+the))",
    r"\b(?:vergelijk\w*|compare)\s+" + _SIDE.format("a") + r"\s+(?:en|and|met|with|to)\s+" + _SIDE.format("b") + r"(?=\s*(?:[,.;:?(]|$))",
    r"\b(?P<p>voor|for|bij|van|of)\s+" + _SIDE.format("a") + r"\s+(?:en|and)\s+(?P=p)\s+" + _SIDE.format("b") + r"(?=\s*(?:[,.;:?(]|$))",
)]
# why, and what caused it ("Waardoor komt die vertraging?", "Wat is de oorzaak …?", "What caused …?"), also as a follow-up
# ("En waarom?")
_REASON = re.compile(r"^\s*(?:(?:en|and|maar|but)\s+)?(?:waarom|waardoor|why|how\s+come|hoe\s+komt\s+het|om\s+welke\s+reden|"
                     r"wat\s+(?:is|was)\s+de\s+(?:reden|oorzaak)|wat\s+(?:zijn|waren)\s+de\s+(?:redenen|oorzaken)|"
                     r"wat\s+veroorzaakt\w*|for\s+what\s+reason|what\s+(?:is|was)\s+the\s+(?:reason|cause)|"
                     r"what\s+(?:are|were)\s+the\s+(?:reasons|causes)|what\s+caused|"
                     # the thinking behind something is its reason ("Wat is daar de gedachte achter?", "What is the idea
                     # behind it?")
                     r"wat\s+(?:is|was)\s+(?:daar\s+|hier\s+)?de\s+(?:gedachte|achterliggende\s+gedachte|redenering|rationale|"
                     r"idee)|what\s+(?:is|was)\s+the\s+(?:idea|thinking|reasoning|rationale)\s+behind)\b", re.I)
_PROCEDURE = re.compile(r"^\s*(?:hoe\s+(?!veel|lang|groot|hoog|vaak|oud|ver\b)|how\s+(?!many|much|long|large|big|high|often|old|far\b)|"
                        r"op\s+welke\s+(?:manier|wijze)|in\s+what\s+way|what\s+steps|welke\s+stappen)", re.I)
_YES_NO = re.compile(r"^\s*(?:mag|mogen|moet|moeten|kan|kunnen|is|zijn|heeft|hebben|wordt|worden|krijgt|krijgen|gaat|gaan|"
                     r"komt|komen|bestaat|bestaan|geldt|gelden|valt|vallen|blijft|blijven|telt|tellen|does|do|is|are|can|"
                     r"may|must|should|will|has|have|was|were|did)\b", re.I)
# "wat … verder / nog meer", "what else", "which other …": a question asking for the rest of a list
_MORE = re.compile(r"^\s*(?:en\s+|and\s+)?(?:wat|welke?|wie)\b.*\b(?:verder|nog meer|nog andere|overige)\b|"
                   r"^\s*(?:and\s+)?(?:what|which|who)\s+(?:else|other)\b", re.I)
# "overeenkomst" is a likeness or a contract ("in hun overeenkomst"): a likeness beside a difference, or likenesses
# between things ("Welke overeenkomsten zijn er tussen …")
_COMPARE = re.compile(r"\b(?:vergelijk\w*|verschil\w*|overeenkomsten\s+(?:\w+\s+){0,3}?tussen|verhoud\w*|tegenover|beide|allebei|"
                      r"compare\w*|comparison|differ\w*|similar\w*|versus|both)\b", re.I)

# What kind of value a clause of the question asks for; matched at the start of a clause
# ("…, and how many …"), so that "when parents ask" inside a question is not a date question.
ROLE = (r"directeur|directrice|wethouder|burgemeester|voorzitter|projectleider|contactpersoon|coördinator|coordinator|"
         r"director|headteacher|principal|alderman|mayor|chair|chairman|chairwoman|project leaders?|contact person")
# Things that go by a name, so that "welke wijk" / "which school" asks for one: a place, a school, a location.
NAMED_NOUNS = (r"wijk|wijken|buurt|buurten|dorp|dorpen|kern|kernen|stad|steden|woonplaats|school|scholen|basisschool|"
               r"basisscholen|locatie|locaties|stichting|stichtingen|kinderopvangorganisatie|kinderopvangorganisaties|"
               r"schoolbestuur|schoolbesturen|neighbou?rhoods?|districts?|villages?|towns?|city|cities|schools?|"
               r"primary schools?|locations?|foundations?|school boards?|childcare (?:organi[sz]ations?|providers?)")
# "Which organisation …" asks for one by name (assistant.evidence), and for an actor.
WHICH_BODY = (r"(?:welke?|which)\s+(?:organisatie|instantie|partij|bureau|bedrijf|onderneming|organi[sz]ation|body|party|"
              r"firm|company|agency|consultancy)")
# Nouns that name an amount of money: "hoe hoog waren de dwangsommen", "what salary", "which fee".
MONEY_NOUNS = (r"bedrag\w*|subsidie\w*|bijdrage\w*|budget\w*|huur|huren|prijs|prijzen|tarie\w+|boete\w*|vergoeding\w*|"
               r"kosten|dwangsom\w*|salaris\w*|loon|lonen|premie\w*|heffing\w*|leges|ouderbijdrage\w*|vermogen")
MONEY_NOUNS_EN = (r"amounts?|grants?|subsid(?:y|ies)|contributions?|budgets?|rents?|prices?|rates?|fines?|fees?|costs?|"
                  r"salar(?:y|ies)|wages?|penalt(?:y|ies)|charges?")
# The ones that are an amount whatever they are of ("welk salaris", "what salary", "welk bedrag"); "welke subsidie"
# may be answered by a name. ("hoe hoog … X" and "how high … X" take any of the money nouns above.)
PRICE_NOUNS = r"salaris\w*|loon|lonen|bedrag\w*|salar(?:y|ies)|wages?|amounts? of money"
CONTACT_NOUNS = (r"telefoonnummer|telefoon|e-?mailadres|e-?mail|adres|website|phone number|telephone|phone|e-?mail address|"
                 r"address|web ?site|postcode|postal code")
_SLOT_QUESTIONS = {
    # "by how much did costs rise": a change, said as a percentage as often as an amount ("met 31 procent")
    # ("met hoeveel procent stegen …", "met hoeveel is … gestegen"; not "met hoeveel gemeenten zat de kopgroep")
    "change": r"by how much|met hoeveel(?=\s+(?:procent|euro|%|is|zijn|was|waren|stijgt|stijgen|steeg|stegen|daalt|dalen|"
              r"daalde|daalden|groeit|groeide|groeiden|nam|namen)\b)|"
              r"hoeveel (?:procent )?(?:is|zijn|was|waren) .{1,60}(?:gestegen|gedaald|toegenomen|"
              r"afgenomen|hoger|lager)|how much (?:higher|lower|more|less)",
    "money": r"hoe hoog (?:\w+\s+){0,3}(?:" + MONEY_NOUNS + r")|how high (?:\w+\s+){0,3}(?:" + MONEY_NOUNS_EN + r")|"
             # "how much is the parental contribution", "hoeveel is/bedraagt de ouderbijdrage": the noun is money
             r"how much (?:is|are|was|were) (?:the |a |an |their |our )?(?:\w+\s+){0,2}(?:" + MONEY_NOUNS_EN + r")\b|"
             # "how much rent per square metre", "how much subsidy": the noun right after "how much" is money
             r"how much (?:" + MONEY_NOUNS_EN + r")\b|"
             r"hoeveel (?:is|zijn|was|waren|bedraagt|bedragen|bedroeg) (?:de|het|een|hun|onze) (?:\w+\s+){0,2}(?:"
             + MONEY_NOUNS + r")\b|"
             r"(?:welk|welke|what|which) (?:" + PRICE_NOUNS + r")\b|what does .{1,40} charge|"
             r"hoeveel (?:kost\w*|geld|euro|budget|subsidie|huur|besteedde?|investeerde?|betaalt|betaalde|rekent|verdien\w*)|wat kost\w*|"
             r"wat verdien\w*|what (?:do|does|did) .{1,40} earn\b|"
             r"wat gaat [^.?!]{1,120}\bkosten|(?:welk|wat is het|hoe groot is het|hoeveel) budget|"
             r"(?:what|which|how large is the|how big is the) budget|"
             # "what was the building budget for …", "wat was de huurprijs": a noun that is an amount, after "the"
             # (not a rate, "de huur per vierkante meter", which is an amount per thing)
             r"(?:what|which) (?:is|was|are|were) the (?:\w+ ){0,2}(?:budget|costs?|price|rent|fee|amount)s?\b"
             r"(?!\s*(?:for|about)?\?)(?!\s+per\b)|"
             r"wat (?:is|was|zijn|waren) (?:het|de) (?:\w+ ){0,2}\w*(?:budget|kosten|prijs|huur|bedrag)\b(?!\s+per\b)|"
             # (a compound whose head is the amount: "het maximale subsidiebedrag", "de bouwkosten")
             r"wat (?:zijn|waren) de kosten|hoe duur|"
             # a verb of setting money aside at the clause's end: "Hoeveel heeft Lindeveen in 2025 begroot voor …",
             # "Hoeveel trekt de gemeente uit voor …", "How much has Huizen budgeted for …"
             r"hoeveel\s+(?:heeft|hebben|had|hadden|is|zijn|wordt|worden|werd|gaat|gaan|zal|zullen|kan|kunnen)\b"
             r"[^?.!,]{0,60}\b(?:begroot|begroten|uitgetrokken|uittrekken|gereserveerd|reserveert|"
             r"geïnvesteerd|uitgegeven|besteed)\b|hoeveel\s+(?:trekt|trekken|trok)\b[^?.!,]{0,60}\buit\b|"
             r"how much (?:has|have|had|did|does|do|will)\b[^?.!,]{0,60}\b(?:budget(?:ed|ted)?|set aside|allocated?|"
             r"reserved?|spent|spend|invested?)\b|"
             r"welke (?:huur|prijs|kosten)|how much (?:does|did|do|will|money|is|are) .{0,60}(?:cost|spend|spent|invest|pay|earn|"
             r"charge)\w*|how much money|what does .{1,40} cost|what (?:is|are) the (?:costs?|price|fee|amount)|how expensive|"
             r"what (?:rent|price|fee)|wat (?:betaalt|betalen|betaalde|betaalden)\b|what (?:do|does|did) .{1,40} pay\b",
    "share": r"welk percentage|hoeveel procent|welk deel|welk aandeel|what percentage|what share|what proportion|what fraction|"
             # "how much of the plot may be covered": a part of a whole (not "how much money")
             r"how much of (?:the|a|an|its|their|this|that)\b|what part of",
    # a time of day ("van hoe laat tot hoe laat", "what time") and an age ("voor welke leeftijden", "how old") are
    # values of their own: a number of something else ("twee dagdelen") answers neither
    "time": r"(?:van |tot |om |vanaf )?hoe laat|(?:from |until |at )?what time|how (?:late|early)|"
            r"(?:welke|wat zijn de|what are the|which|what) (?:openingstijden|openingsuren|opening hours|opening times)",
    "age": r"(?:vanaf |tot |voor |van |op |bij |from |up to |for |at )?(?:welke|wat is de|what|which) (?:leeftijd\w*|ages?)|"
           r"hoe oud|how old",
    "amount": r"hoeveel|hoe ?veel|hoe groot|hoe ?lang|hoe hoog|hoe vaak|hoe snel|maximaal hoeveel|how many|how much|how long|"
              r"how quickly|how soon|binnen welke (?:termijn|periode|tijd)|within (?:what|which) (?:period|time)|how large|"
              r"how big|how high|how often|what amount|what number|at most how|what is the (?:maximum|minimum|max|min)\b|"
              r"wat is (?:het|de) (?:maximale|minimale|maximum|minimum|maximaal|minimaal)\b|"
              r"what is the number of|wat is het aantal",
    # "wanneer telt een diploma als …", "when does a place count as …" ask for a condition, not a date; "when it comes
    # to school buildings", "wanneer het gaat om …" say what about
    "date": r"wanneer(?!\s(?:\w+\s){1,5}?(?:als|sprake van)\b)(?!\s+het\s+gaat\s+om\b)|in welk jaar|welk jaar|"
            r"vanaf welk\w*|per welke datum|op welke datum|welke datum|wat (?:is|was) de datum|tot wanneer|"
            r"when(?!\s(?:\w+\s){1,5}?(?:count|counts|qualify|qualifies|considered|regarded)\b)(?!\s+it\s+comes\s+to\b)|"
            r"in which year|"
            r"by which year|which year|what year|by when|from when|what date|on which date|until when|"
            r"what (?:is|was) the date",
    "person": r"(?:wie|who|welke|which|what is the name of|wat is de naam van)\b.{0,25}\b(?:" + ROLE + r")",
    "contact": r"(?:wat|what|welk|which|hoe)\b.{0,25}\b(?:" + CONTACT_NOUNS + ")",
    # which one of the things that have names: a neighbourhood, a school, a location ("De wijk Kloosterveen")
    "name": r"(?:welke?|which|what)\s+(?:\w+\s+)?(?:" + NAMED_NOUNS + r")\b",
    # who does something: a person, a body or an organisation (after "person" and "contact", which name the role)
    "actor": r"wie|who|door wie|by whom|" + WHICH_BODY + r"\w*",
}
_CLAUSE_START = r"(?:^|[,;:(]\s*|\b(?:en|and|of|or|maar|but)\s+)(?:\w+\s+){0,2}?"
# A rate ("per kind", "per square metre") is an amount, whatever the question word.
_RATE = re.compile(r"\bper (?:\w+ )?(?:kind|leerling|uur|week|maand|jaar|dag|dagdeel|plaats|m2|m²|vierkante meter|"
                   r"child|pupil|hour|month|year|day|place|square met(?:re|er))\b", re.I)


def asked_slot(question: str) -> str | None:
    """The kind of value a clause of the question opens by asking for (money, share, amount, date, person, contact,
    actor)."""
    text = expand_contractions(question.strip())
    for slot, pattern in _SLOT_QUESTIONS.items():
        if re.search(_CLAUSE_START + r"(?:" + pattern + r")\b", text, re.I):
            return slot
    return "amount" if _RATE.search(text) else None


def _known_word(word: str) -> bool:
    """A common Dutch word (Zipf ≥ 3), or a word of the field the glossary knows ("kindcentra" is rare in Dutch at
    large but is half of "kindcentrabeleid")."""
    from wordfreq import zipf_frequency

    from assistant.glossary import inverse

    if zipf_frequency(word, "nl") >= 3.0:
        return True
    stems = terms(word)
    return len(stems) == 1 and len(word) >= 5 and stems[0] in inverse()


@lru_cache(maxsize=16384)
def compound_parts(word: str) -> tuple[str, str] | None:
    """`schoolkeuze` → (`school`, `keuze`): a Dutch compound of two common words, or None."""
    from wordfreq import zipf_frequency

    word = fold(word)
    best = None
    for i in range(3, len(word) - 3):
        left, right = word[:i], word[i:]
        # a linking s or e may join the parts ("aandacht|s|gebieden"); a three-letter first part counts only
        # before one ("wet|s|artikel"), where the link marks the seam, so "dagopvang" is not split at random
        for head in (right if i > 3 else None, right[1:] if right[:1] in "se" else None):
            if head and len(head) >= 4 and _known_word(left) and _known_word(head):
                score = min(zipf_frequency(left, "nl"), zipf_frequency(head, "nl"))
                if best is None or score > best[0]:
                    best = (score, left, head)
    return (best[1], best[2]) if best else None


@lru_cache(maxsize=65536)
def lemma_nl(word: str) -> str:
    """The Dutch lemma, folded; a separable verb without its mark ("toegekend" → "toekennen")."""
    return fold(simplemma.lemmatize(word, lang="nl")).replace("_", "")


@lru_cache(maxsize=16384)
def specificity(word: str, language: str = "nl") -> float:
    """How much a word says about a topic: high for rare words, low for everyday ones (corpus-independent)."""
    from wordfreq import zipf_frequency

    word = fold(word)
    if word.isdigit():
        return NUMBER_WEIGHT
    zipf = zipf_frequency(word, language)
    if zipf == 0.0 and language == "nl":
        zipf = min(zipf_frequency(lemma_nl(word), "nl") or 0.0, 3.0)  # unseen inflection/compound
    return max(MIN_WEIGHT, min(MAX_WEIGHT, ZIPF_TOP - zipf)) if zipf else MAX_WEIGHT * 0.8


@dataclass
class Concept:
    """One thing the question asks about: its words, the Dutch stems they stand for, and a weight."""

    word: str
    stems: tuple[str, ...]
    weight: float
    context: bool = False  # borrowed from the previous turn: helps find the passage, not required in it
    unmapped: bool = False  # an English word the glossary cannot put in Dutch: only the embedder can judge it
    reading: tuple[str, ...] = ()  # an English word's Dutch as the embedder reads it in the text (assistant.crosslingual)
    verb: bool = False  # a Dutch verb form ("kost", "innemen"): it weighs less and ends a noun phrase
    # an adjective before the noun it qualifies ("aanverwante activiteiten", "the separate playgroups"): it narrows
    # the topic but does not name one, so a text or note lacking it is not thereby about something else
    modifier: bool = False


@dataclass
class Analysis:
    question: str
    language: str
    kind: str
    slot: str | None
    concepts: list[Concept] = field(default_factory=list)
    named_docs: list[str] = field(default_factory=list)
    count: int | None = None  # "welke twee scenario's" → 2
    # A question asking two things (", en waarom …", "… and what is their task?") is analysed per part;
    # the first part is this analysis itself. Empty for a question asking one thing.
    parts: list[Analysis] = field(default_factory=list)
    leans: bool = False  # a later part with no topic of its own ("…, en voor wie zijn ze bedoeld?")
    # the notes this part itself names, when the question names several and its parts ask different ones
    own_docs: list[str] = field(default_factory=list)

    @property
    def focus(self) -> list[Concept]:
        """The concepts an answer must hold (own, mapped)."""
        return [c for c in self.concepts if not c.context and not c.unmapped]

    @property
    def own(self) -> list[Concept]:
        """The concepts the question names itself, whether the glossary maps them or not (not the context's)."""
        return [c for c in self.concepts if not c.context]

    @property
    def entities(self) -> list[Concept]:
        """Named things the question is about (capitalised in it, not at its start): "Almere", "Middelburg"."""
        from wordfreq import zipf_frequency

        names = {fold(w) for w in re.findall(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’-]*[a-z][\w'’-]*", self.question.strip())}
        if self.language == "en":  # "the Netherlands" is a word to translate, not a name to find
            names = {w for w in names if zipf_frequency(w, "en") < COMMON_ENGLISH}
        return [c for c in self.focus if c.word in names]  # acronyms (IKC, VVE) are vocabulary, not names

    @property
    def sides(self) -> list[list[Concept]]:
        """The two things a comparison sets side by side, as the focus concepts of each ("tussen een *brede
        school* en een *IKC*", "for a *kindercentrum* … and for a *gastouderbureau*"); [] when it names none."""
        if self.kind != COMPARE:
            return []
        for pattern in _SIDES:
            m = pattern.search(self.question)
            if m:
                out = []
                for phrase in (m.group("a"), m.group("b")):
                    stems = {st for w in split_words(phrase) for st in terms(w)}
                    out.append([c for c in self.focus if set(c.stems) & stems])
                if all(out):
                    return out
        return []

    @property
    def unmapped(self) -> list[Concept]:
        return [c for c in self.concepts if c.unmapped]

    def describe(self) -> str:
        return (f"kind={self.kind} slot={self.slot} named={self.named_docs} count={self.count} focus="
                + ", ".join(f"{c.word}:{c.weight:.1f}{'(ctx)' if c.context else ''}{'(?)' if c.unmapped else ''}"
                            for c in self.concepts))


_NUMBER_WORDS = {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9, "tien": 10,
                 "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


# English contractions written out, so that the question patterns see "what is": "What's the maximum number …?"
_CONTRACTIONS = re.compile(r"\b(what|who|where|when|how|which|that|there|it)['’]s\b", re.I)


def expand_contractions(text: str) -> str:
    return _CONTRACTIONS.sub(lambda m: m.group(1) + " is", text)


# A question put to all the notes at once ("Wat zeggen de verschillende notities?", "Do the notes say …", "Zien de
# gemeenten …"): each note that answers gets its own block, as when the question names them.
_ACROSS = re.compile(r"\b(?:de|alle|verschillende|diverse|beide|andere)\s+(?:\w+\s+)?(?:notities|nota's|documenten|stukken)\b|"
                     r"\b(?:de|alle|verschillende|diverse)\s+gemeenten\b|\bin\s+(?:de|alle)\s+notities\b|"
                     r"\b(?:welke|which)\s+(?:notities|nota's|documenten|stukken|gemeenten|notes|documents|municipalities)\b|"
                     r"\b(?:the|all|different|various|both)\s+(?:\w+\s+)?(?:notes|documents|papers|municipalities)\b|"
                     r"\b(?:each|every|elke?|iedere?)\s+(?:note|document|municipality|notitie|gemeente)\b", re.I)


# "welke daarvan", "wie van hen", "which of these": a part asking which of the things an earlier part listed
_WHICH_OF_THEM = re.compile(r"\b(?:welke|wie|wat)\s+(?:daarvan|ervan|van\s+(?:deze|die|hen|ze))\b|"
                            r"\b(?:which|who|what)\s+of\s+(?:these|those|them)\b", re.I)


def asks_which_of_them(question: str) -> bool:
    """The question (a later part) asks which of the things the part before it asked for."""
    return bool(_WHICH_OF_THEM.search(question))


def asks_across(question: str) -> bool:
    """The question asks what the notes (plural) say, naming none of them."""
    return bool(_ACROSS.search(question))


# "What are the school boards asking the municipality to pay for?": a verb in progressive form with its object or
# complement makes "what are …" a question about what someone does, not what something is
_PROGRESSIVE = re.compile(r"^\s*what\s+(?:is|are|was|were)\b.+\b\w{2,}ing\s+(?:the|a|an|to|for|their|its|them|it|with|"
                          r"about|on|from|us|you)\b", re.I)
_BOTH = re.compile(r"\b(?:beide|beiden|allebei|both)\b", re.I)


def question_kind(question: str, named: int) -> tuple[str, int | None]:
    """The kind of a question and, for "welke drie …", how many things it asks for."""
    q = expand_contractions(question.strip())
    aside = _OPENING_ASIDE.match(q)
    if aside:  # "quick one - what does SPIL stand for?", "Vraagje: wat is …": the question starts after the aside
        q = aside.group(1)
    count = None
    m = _COUNTED.search(q)
    # "welke twee scenario's", "which three forms": the number right after the question word says how many
    if m and re.search(r"\b(?:welke|which|what|noem|name|list)\s+(?:\w+\s+)?$", q[: m.start()], re.I):
        word = m.group(0).split()[0].lower()
        count = _NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else None)
    two_things = re.search(r"\b[A-Z][\w'’-]+\s+(?:en|and|met|with|of|or)\s+[A-Z][\w'’-]+", q[1:]) or \
        re.search(r"\b(?:tussen|between)\b.+\b(?:en|and)\b", q, re.I)
    if _COMPARE.search(q) and (named >= 2 or two_things or any(p.search(q) for p in _SIDES)):
        return COMPARE, count
    if _CONTAINS.search(q):
        return LIST, count  # "What's in it?", "Wat zit erin?": what something holds, its parts
    if _REASON.match(q):
        return REASON, count
    if re.match(r"^\s*(?:wat zijn (?:de|die|deze)|what are (?:the|those|these))\s+\w+(?:en|s|'s|’s)\b", q, re.I) \
            and not _PROGRESSIVE.search(q):
        return LIST, count  # "what are the goals …", "What are those levels?": an enumeration, not a definition
    if asked_slot(q) not in (None, "actor", "name") and not _YES_NO.match(q):
        # (who does something, or which named one, is asked as a fact, a definition or a list); "wat kosten beide
        # opties?" asks two values
        return VALUE, count or (2 if _BOTH.search(q) else None)
    # (a compound names a definition too: "Welke werkdefinitie …", "the working definition")
    if (_DEFINITION.match(q) or re.search(r"\b\w*(?:definitie|omschrijving)\b|\bdefinition\b", q, re.I)) \
            and len(q.split()) <= 16 and not _LIST.search(q.split(" ", 2)[-1] if " " in q else q) \
            and not re.search(r"\b(?:de|het|the)\s+\w+(?:en|s)\s+van\b", q[:40]) and not _PROGRESSIVE.search(q):
        return DEFINITION, count
    if _PROGRESSIVE.search(q):
        return FACTUAL, count  # what someone is doing or asking, not what something is or which ones
    if count and count > 1:
        return LIST, count
    # (a place's name after the question word is no plural: "Which Assen neighbourhood", "Welke Asser school")
    plural = _PLURAL_AFTER_WHICH.search(re.sub(r"\b((?i:welke|which|what))\s+[A-Z][a-zà-ÿ][\w'’-]*\s+", r"\1 ", q))
    if plural and fold(plural.group(1)) in STOP:
        plural = None
    english_plural = _PLURAL_BEFORE_AUX.search(q)
    if english_plural and fold(english_plural.group(1)) not in STOP:
        return LIST, count
    if _LIST.search(q) and (plural or re.search(r"\b(?:wat zijn de|what are the|noem|list|name the|enumerate)\b", q, re.I)):
        return LIST, count
    if _MORE.search(q):
        return LIST, count  # "En wat valt er verder niet onder?", "What else …?": the other ones are asked
    if (_CONSISTS.search(q) and re.match(r"\s*(?:wat|waar\w*|what|which|welke?)\b", q, re.I)) or _MEMBERS.search(q):
        return LIST, count  # "Waaruit bestaat …?", "What does … consist of?", "Wie zaten er in …?": the parts are asked
    if _PROCEDURE.match(q):
        return PROCEDURE, count
    if _YES_NO.match(q) or _opens_with_finite_verb(q):
        return YES_NO, count
    return FACTUAL, count


def _opens_with_finite_verb(question: str) -> bool:
    """A Dutch question opening with an inflected verb asks yes or no (verb-first order: "Blijft een IKC …?",
    "Klopt het dat …?", "Speelt de gemeente …?"): the word is not its own lemma and its lemma is an infinitive."""
    m = re.match(r"\s*([A-Za-zà-ÿ]+)\b", question)
    if not m or not question.rstrip().endswith("?"):
        return False
    word = fold(m.group(1))
    if word in STOP or re.fullmatch(WH, word):
        return False
    return verb_form(word) == "inflected"


# A separable verb's past participle: its particle, "ge" and a stem ("uit|ge|trokken", "vast|ge|steld").
_SEPARABLE_PARTICIPLE = re.compile(r"(?:aan|af|bij|door|in|mee|na|om|op|toe|uit|vast|voor|weg|terug|samen|vrij)ge"
                                   r"[a-zà-ÿ]{3,}(?:en|d|t)")


def _bare_stem_lemmas(word: str) -> set[str]:
    """The infinitives whose bare stem `word` is: "pot" → potten, "werk" → werken, "huur" → huren, "vraag" → vragen."""
    out = {word + "en", word + word[-1:] + "en"}
    if len(word) >= 4 and word[-2] == word[-3] and word[-2] in "aeou":  # a long vowel written once before -en
        out.add(word[:-2] + word[-1] + "en")
    return out


def verb_form(word: str) -> str | None:
    """'inflected' for a Dutch verb form that is not its own lemma ("verstaat", "blijft"), 'infinitive' for a long
    word that is its own lemma ending like one ("innemen"; also a plural verb), else None."""
    if _SEPARABLE_PARTICIPLE.fullmatch(word):
        return "inflected"  # "uitgetrokken", "aangevraagd", "vastgesteld": the participle of a separable verb
    lemma = lemma_nl(word)
    if not lemma.endswith(("en", "an")):
        return None
    if lemma != word and (not word.endswith(("en", "s")) or (word.startswith("ge") and word.endswith("en"))):
        return "inflected"  # (a strong past participle, "gekregen", "genomen", too)
    return "infinitive" if lemma == word and len(word) > 5 else None


# An inflected adjective's base form is a Dutch word at least this common (Zipf): "voorschools" 1.0, "aanverwant"
# 2.3, "zelfstandig" 4.4 (the base form of an adjective is often rarer than its -e form, so the bar is low; what
# keeps nouns out is the content word that must follow, see _dutch_concepts).
ADJECTIVE_BASE_ZIPF = 1.0
# English adjectives that qualify what a question asks about without naming a topic of their own (a question's
# "separate toddler playgroups" are the notes' peuterspeelzalen). General vocabulary, not tied to any question;
# English has no inflection that marks an attributive adjective, so they are listed.
QUALIFIERS_EN = frozenset(
    "separate related relevant current existing present actual other different various specific particular certain "
    "additional extra own whole entire main general individual respective similar usual typical normal regular "
    "exact precise real concrete former previous latest recent possible potential".split())


@lru_cache(maxsize=16384)
def _adjective_base(word: str) -> str | None:
    """The base form of a Dutch inflected adjective ("aanverwante" → "aanverwant", "losse" → "los", "grote" → "groot",
    "financiële" → "financieel"), when it is a common enough Dutch word; else None."""
    from wordfreq import zipf_frequency

    if len(word) < 5 or not word.endswith("e") or word.endswith(("ie", "ee", "ue")):
        return None
    stem = word[:-1]
    candidates = [stem]
    if stem[-1] == stem[-2]:  # "losse" → "los"
        candidates.append(stem[:-1])
    if stem[-2] in "aeou" and stem[-3] not in "aeiou":  # "grote" → "groot", "integrale" → "integraal"
        candidates.append(stem[:-1] + stem[-2] + stem[-1])
    if stem.endswith(("ël", "iel")):  # "financiële" (folded "financiele") → "financieel"
        candidates.append(stem[:-1] + "el" if stem.endswith("iel") else stem[:-2] + "eel")
    return next((c for c in candidates if zipf_frequency(c, "nl") >= ADJECTIVE_BASE_ZIPF), None)


_DETERMINERS = frozenset("de het een deze dit die dat onze ons hun zijn haar mijn uw jullie elke ieder iedere alle geen "
                         "welke welk".split())


def _verb_at(written: list[str], i: int) -> bool:
    """The word at i is a verb form, unless it is a verb's bare stem right after an article or an adjective: then it is
    the noun written the same ("de totale *pot*", "de *huur*"; the lemmatiser reads "potten", "huren")."""
    word = written[i]
    if verb_form(word) is None:
        return False
    prev = written[i - 1] if i > 0 else ""
    return not (lemma_nl(word) in _bare_stem_lemmas(word) and (prev in _DETERMINERS or _adjective_base(prev) is not None))


def _dutch_concepts(text: str, is_name) -> list[Concept]:
    out: list[Concept] = []
    written = split_words(text)
    verbs = [_verb_at(written, i) for i in range(len(written))]
    for i, word in enumerate(written):
        if word in STOP or _PRONOMINAL_ADVERB.match(word) or is_name(word) or (len(word) < 3 and not word.isdigit()):
            continue
        stems = terms(word)
        if not stems:
            continue
        verb = verbs[i]
        weight = specificity(word) * (VERB_WEIGHT if verb else 1.0)  # "kost", "verstaat", "innemen": a verb
        after = written[i + 1] if i + 1 < len(written) else ""
        modifier = not verb and bool(after) and after not in STOP and len(after) >= 3 and not after.isdigit() \
            and not verbs[i + 1] and _adjective_base(word) is not None  # "aanverwante activiteiten"
        out.append(Concept(word, stems, weight, verb=verb, modifier=modifier))
    for verb, joined in separable_verbs(text):  # "Wie zit de stuurgroep voor?" asks who "voorzit": the voorzitter
        out = [c for c in out if c.word != verb]  # (the verb's own word, "zit", asks nothing apart from it)
        if joined in STOP:  # "Wat houdt dat in?": "inhoudt" is the form of the question, as "betekent" is
            continue
        # (held by the whole verb or by the verb alone: "aanraadt" or "raadt", whose synonyms are "aanbevelen")
        out.append(Concept(joined, tuple(dict.fromkeys(terms(joined) + terms(verb))), specificity(joined) * VERB_WEIGHT,
                           verb=True))
    return out


# A separable verb's particle, at the end of its clause ("Wie zit de stuurgroep voor?", "Hoe vaak komt die bij
# elkaar?", "Neemt de gemeente deel?"): joined to the verb it belongs to, it is the word the text writes whole.
_PARTICLE = r"voor|op|aan|af|in|mee|uit|bij elkaar|deel|plaats|vast|toe|terug|samen"
# (not after "waar": "Waar staat die afkorting voor?" splits "waarvoor"; not after "hoeveel" or "welke", which a noun
# follows before the verb)
_SEPARATED = re.compile(r"^\s*(?:(?:wie|wat|wanneer|waarom|hoe(?:\s+vaak|\s+lang)?)\s+)?([a-zà-ÿ]{2,})\b"
                        r"[^?.;]*?\s(" + _PARTICLE + r")\s*(?:[?.;,]|$)", re.I)


def separable_verbs(text: str) -> list[tuple[str, str]]:
    """The whole verbs a Dutch question writes apart, with the verb as written: "zit … voor" → ("zit", "voorzit"),
    "komt … bij elkaar" → ("komt", "bijeenkomt"), read per clause (a question, or a part after ", en")."""
    out = []
    for clause in re.split(r",?\s+en\s+(?=(?:wie|wat|waar|wanneer|waarom|hoe|hoeveel|welke?)\b)|[?;]", text, flags=re.I):
        m = _SEPARATED.match(clause.strip() + "?")
        if m and fold(m.group(1)) not in _NOT_A_VERB:
            particle = "bijeen" if m.group(2).lower() == "bij elkaar" else m.group(2).lower()
            out.append((fold(m.group(1)), particle + fold(m.group(1))))
    return out


# Words that open a clause before its verb and are no verb themselves.
_NOT_A_VERB = frozenset("de het een die dat deze dit er is zijn was waren welke welk waar waarom hoeveel hoe wie wat "
                        "wanneer".split())


# English has few verb endings, so a verb is known by where it stands: here only before and after the "to" of a verb of
# needing or wanting ("what do I *need* to *show*"), which frame what is asked. Tried and not kept: a verb after its
# subject ("who should I *contact*" may be all the question is about) and an -ing form with its object ("without
# *asking* the people": a yes/no question's verbs are no focus, and that one was what the answer turned on).
_EN_FRAME_VERB = re.compile(
    r"\b(need|needs|needed|have|has|had|want|wants|wanted|able|going|ought)\s+to\s+([a-z]{3,})")
# (not "allowed to", "required to": what is allowed or required is a yes/no question's hypothesis, "Is the inspector
# allowed to walk in?")


def english_verbs(text: str) -> set[str]:
    """The words of an English question that frame it as verbs (see _EN_FRAME_VERB; function words among them are
    no concept anyway)."""
    return {w for m in _EN_FRAME_VERB.finditer(fold(text)) for w in m.groups()}


def _english_concepts(text: str, is_name) -> list[Concept]:
    """Glossary phrases stand for their Dutch words; names, acronyms and Dutch terms stand for themselves;
    any other English content word is kept as `unmapped` (the multilingual embedder judges it)."""
    from wordfreq import zipf_frequency

    names = {fold(w) for w in re.findall(r"(?<![.?!]\s)(?<!^)\b[A-Z][\w'’-]+", text.strip())}
    acronyms = {fold(w) for w in re.findall(r"\b[A-Z]{2,6}\b", text)}  # "IMO", "VVE", "GGD": the notes' own letters
    # an English plural of one ("the MFAs", "IKCs") is the acronym the notes write ("MFA’s")
    plurals = {fold(m.group(0)): fold(m.group(1)) for m in re.finditer(r"\b([A-Z]{2,6})s\b", text)}
    acronyms |= set(plurals.values())
    # a word the question quotes is the word the notes use ("I keep seeing 'Plus IKC'"), kept as written when Dutch
    # has it too
    quoted = {fold(w) for q in QUOTED.findall(text) for w in split_words(q)}
    out: list[Concept] = []
    found = spans(text)
    verbs = english_verbs(text)
    for i, span in enumerate(found):
        word = plurals.get(span.text, span.text)
        verb = word in verbs
        factor = VERB_WEIGHT if verb else 1.0
        if span.dutch:
            if word in STOP:
                continue
            stems = tuple(dict.fromkeys(s for d in span.dutch for s in terms(d)))
            weight = max(specificity(d) for d in span.dutch) * factor
            after = found[i + 1].text if i + 1 < len(found) else ""
            out.append(Concept(word, stems, weight, verb=verb,
                               modifier=word in QUALIFIERS_EN and bool(after) and after not in STOP))
            continue
        if word in STOP or is_name(word) or (len(word) < 3 and not word.isdigit()):
            continue
        stems = terms(word)
        if not stems:
            continue
        english = zipf_frequency(word, "en") or zipf_frequency(lemma_en(word), "en")
        dutch = zipf_frequency(word, "nl")
        if word.isdigit() or word in acronyms or (word in names and english < COMMON_ENGLISH) or dutch >= english \
                or not english or (word in quoted and dutch > 0):
            out.append(Concept(word, stems, specificity(word, "nl" if dutch >= english else "en")))
        elif english < 6.0:
            out.append(Concept(word, stems, min(MAX_WEIGHT, ZIPF_TOP - english) * factor,
                               unmapped=True, verb=verb))
    return out


def _unique(concepts: list[Concept]) -> list[Concept]:
    merged: dict[tuple[str, ...], Concept] = {}
    for c in concepts:
        if c.stems and c.stems not in merged:
            merged[c.stems] = c
    return list(merged.values())


# A question word that opens a clause: where a second question starts inside one sentence.
WH = (r"(?:wat|wie|wiens|welke?|waar|waarom|waarvoor|waardoor|waarmee|waaraan|waarin|waarop|waaruit|wanneer|hoe|"
       r"hoeveel|hoelang|what|who|whom|whose|which|where|when|why|how)")
# A short aside before a dash or colon that opens the question proper with its question word.
_OPENING_ASIDE = re.compile(r"^[^?.!:–—-]{1,30}?\s*[-–—:]\s+(" + WH + r"\b.*)$", re.I | re.S)
_NEXT_QUESTION = re.compile(r"(?:,\s*|\s+)(?:en|and|of|or)\s+(?=(?:(?:voor|van|vanaf|sinds|in|bij|met|op|over|uit|tot|"
                            r"door|naar|for|at|with|to|from|on|by|of|in|since|until)\s+)?" + WH + r"\b)", re.I)
# Words that only name the kind of value asked for ("how much money", "welk bedrag", "what percentage").
SLOT_WORDS = frozenset("money geld amount amounts bedrag bedragen euro euros sum som number aantal percentage procent "
                       "share aandeel kost kosten kostte kostten cost costs leeftijd leeftijden age ages oud old "
                       "openingstijden openingsuren laat late leeftijdsgroep leeftijdscategorie "
                       # how often a "hoe vaak" question asks ("vier keer per jaar"), never a word of the answer
                       "vaak dikwijls often frequently".split()
                       ) | {"age group", "age groups"}
# A sentence opening with a request verb asks, with or without "?" ("Vergelijk wat … zegt met …").
_REQUEST = re.compile(r"^\s*(?:noem|geef|beschrijf|leg|vergelijk|vat|som|citeer|licht|vertel|toon|zet|"
                      r"compare|list|name|give|describe|explain|summari[sz]e|tell|show|quote|outline)\b", re.I)
MAX_PARTS = 3  # more clauses than this is a text, not a question; keep it one


def question_parts(question: str) -> tuple[str, list[str]]:
    """(statement, parts) of a question as written.

    Sentences that state something before the question ("Medewerkers werken nog voor verschillende
    organisaties. In welke onderdelen …?") are context: they say where the question stands, not what it
    asks. A question asking two things, in two sentences or joined by "en/and" before a question word
    ("Wat bedoelt Huizen met een IMO, en voor welke leeftijd is het bedoeld?"), has one part per thing."""
    said = sentences(question.replace("\n", " "))
    asked = [x for x in said if x.rstrip().endswith("?") or _REQUEST.match(x)]
    if not asked:
        return "", [question.strip()]
    statement = " ".join(x for x in said if x not in asked)
    parts: list[str] = []
    for sentence in asked:
        pieces = _NEXT_QUESTION.split(sentence)
        pieces = [p.strip(" ,;") for p in pieces if re.search(r"\w", p)]
        if pieces:  # ("???" alone asks nothing)
            parts += pieces if len(pieces[0].split()) >= 2 else [sentence]  # "Wat is X en waarom?" → two parts
    if not parts:
        return statement, [question.strip()]
    if len(parts) > MAX_PARTS:
        parts = [" ".join(asked)]
    return statement, parts


# "objections (zienswijzen)", "collective labour agreement (cao)", "levensloopbestendig bouwen (life-cycle-proof
# building)": a word with another name for it in brackets right after it.
_GLOSSED = re.compile(r"([\w'’-]+)['’\"”]?\s*\(([^()]{2,60})\)")


_ALTERNATIVE = re.compile(r"^\s*(?:of|ofwel|oftewel|or|also|i\.e\.)\s+", re.I)


def _join_glosses(question: str, concepts: list[Concept], is_name) -> list[Concept]:
    """A word and the name in brackets after it are one concept: a text holding either holds it (the asker gave
    the notes' own word beside their own, or explained the notes' word in their language)."""
    for m in _GLOSSED.finditer(question):
        word = fold(m.group(1))
        outer = next((c for c in concepts if c.word == word or c.word.endswith(" " + word)), None)
        # ("het IKC (of IMO)", "the IKC (or IMO)": the word saying it is another name is no aside)
        inside = _ALTERNATIVE.sub("", m.group(2))
        if any(fold(w) in STOP for w in split_words(inside)):
            continue  # "(en welk lid)", "(in 2019)": an aside, not another name
        inner = _unique(_dutch_concepts(inside, is_name) if not re.search(r"[a-z]", inside) or _looks_dutch(inside)
                        else _english_concepts(inside, is_name))
        inner_stems = {c.stems for c in inner}
        inner_found = [c for c in concepts if c.stems in inner_stems or any(c.word == i.word for i in inner)]
        if outer is None or len(inner) != 1 or len(inner_found) != 1 or outer in inner_found:
            continue  # (a spelled-out acronym, "IMO (integraal multifunctioneel onderwijsgebouw)", is several words)
        mapped = [c for c in [outer, *inner_found] if not c.unmapped]
        outer.stems = tuple(dict.fromkeys(st for c in ([outer] if not outer.unmapped else []) + inner_found
                                          if not c.unmapped for st in c.stems)) or outer.stems
        outer.unmapped = not mapped
        outer.weight = max(c.weight for c in [outer, *inner_found])
        concepts = [c for c in concepts if c not in inner_found]
    return concepts


def _looks_dutch(text: str) -> bool:
    """By how common its words are in each language: a bracketed name is one or two content words, where
    assistant.language's stopword vote has nothing to count."""
    from wordfreq import zipf_frequency

    words = [fold(w) for w in split_words(text)]
    return sum(zipf_frequency(w, "nl") for w in words) > sum(zipf_frequency(w, "en") for w in words)


# A place pointed at rather than named: "daar", "there" (not "there is/are"), and "hier", "here" (not "here is") after a
# statement that names it ("Wij wonen in Lelystad. Hoeveel uur …
# krijgt ons kind hier?"); not the "daar" of a split pronominal adverb ("Wat is daar de gedachte achter?" = daarachter).
# Also read by assistant.followup.
POINTS_AT_PLACE = re.compile(r"\b(?:daar|hier)\b(?![^?.!]*?\s(?:achter|voor|over|mee|aan|van|op|bij|door|uit|om|tegen|"
                             r"naar|toe|onder|in)\s*[?.!]*\s*$)|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )\b(?:there|here)\b"
                             r"(?!\s+(?:is|are|was|were|be|been|has|have|'s)\b)", re.I)


# A word quoted in a statement is the word talked about (mention, not use): "kom ik steeds het woord 'vraagouder'
# tegen", "I keep seeing 'Plus IKC'"; up to five words between quotes.
QUOTED = re.compile(r"(?:(?<=\s)|^)['‘\"“]([^'‘’\"“”]{2,60}?)['’\"”](?=[\s.,;:!?)]|$)")
# A word named as a word ("de afkorting TBVA", "het begrip passend onderwijs", "the acronym VVE"): what a statement
# before a pronoun question ("Waar staat die voor?") talks about.
_MENTIONED = re.compile(r"\b(?:afkorting|acroniem|woord|term|begrip|acronym|abbreviation|word)\s+([A-Z][\w'’-]*|[\w'’-]+)")
# A question that asks what something said before is, with only a pronoun for it ("Wie is dat precies?", "Wat houdt
# dat in?", "What does that actually mean?", "What is it?").
_ASKS_WHAT_IT_IS = re.compile(
    r"^\s*(?:(?:en|and|maar|but)\s+)?(?:(?:wat|wie)\s+(?:is|zijn|betekent|betekenen|houdt|houden)\s+(?:dat|dit|het|die|deze)\b"
    r"|(?:what|who)\s+(?:is|are|does|do)\s+(?:that|this|it|they|those|these)\b"
    # "Wie wordt daarmee bedoeld?", "Wat verstaan ze daaronder?", "What is meant by that?"
    r"|(?:wat|wie)\s+(?:wordt|worden|verstaa?t?n?|bedoel\w*)\s+(?:\w+\s+)?(?:daar|hier)(?:mee|onder)\s*(?:bedoeld|verstaan)?"
    r"|(?:what|who)\s+(?:is|are)\s+meant\s+by\s+(?:that|this|it))"
    r"(?:\s+(?:dan|eigenlijk|precies|nou|nu|exactly|actually|really|then))*(?:\s+(?:in|mean|stand\s+for))?\s*\??\s*$",
    re.I)


# A noun pointed back at ("those levels", "die niveaus", "deze regeling").
_POINTED = re.compile(r"\b(?:those|these|that|this|die|deze|dat|dit)\s+([a-zà-ÿ'’-]+)", re.I)


# Two nouns joined by "of" / "or" ("een kindcentrum of IMO", "a school or a childcare centre"): either one is asked of.
_ALTERNATIVES = {"nl": re.compile(r"\b([\w'’-]+)\s+(?:of|ofwel|oftewel)\s+(?:(?:een|de|het)\s+)?([\w'’-]+)", re.I),
                 "en": re.compile(r"\b([\w'’-]+)\s+or\s+(?:(?:a|an|the)\s+)?([\w'’-]+)", re.I)}


def _join_alternatives(question: str, language: str, concepts: list[Concept]) -> list[Concept]:
    """Two concepts the question offers as alternatives are one: a text holding either holds it (Leeuwarden, which
    speaks of IKC's and never of an IMO, answers "… een kindcentrum of IMO geen doel op zich is?")."""
    for m in _ALTERNATIVES.get(language, _ALTERNATIVES["nl"]).finditer(question):
        left = next((c for c in concepts if c.word == fold(m.group(1)) and not c.verb), None)
        right = next((c for c in concepts if c.word == fold(m.group(2)) and not c.verb), None)
        if left is None or right is None or left is right or left.unmapped or right.unmapped:
            continue
        left.stems = tuple(dict.fromkeys(left.stems + right.stems))
        left.weight = max(left.weight, right.weight)
        concepts = [c for c in concepts if c is not right]
    return concepts


# What a question says of its asking, not of its topic: "met zoveel woorden" (explicitly), "in so many words".
_SO_MANY_WORDS = re.compile(r"\b(?:met\s+zo\s*veel\s+woorden|in\s+so\s+many\s+words)\b", re.I)


# A decade named by its tens ("de jaren zestig", "the sixties"): a time, which a text gives as years.
_DECADE = re.compile(r"\b(?:(?:begin|midden|eind|einde|halverwege)\s+(?:van\s+)?(?:de\s+)?)?jaren\s+(?:twintig|dertig|"
                     r"veertig|vijftig|zestig|zeventig|tachtig|negentig)\b|\b(?:(?:early|mid|late)[\s-]+)?(?:twenties|"
                     r"thirties|forties|fifties|sixties|seventies|eighties|nineties)\b", re.I)


def _analyse_one(question: str, language: str, is_name, named_docs: list[str] | None, context: str) -> Analysis:
    reader = _english_concepts if language == "en" else _dutch_concepts
    concepts = _join_alternatives(question, language, _join_glosses(question, _unique(reader(question, is_name)),
                                                                    is_name))
    kind, count = question_kind(question, len(named_docs or []))
    for m in [*_DECADE.finditer(question), *_SO_MANY_WORDS.finditer(question)]:
        # "sinds eind jaren zestig": when, as a year would say it ("1969"); "met zoveel woorden": how; neither is what
        said = {fold(w) for w in split_words(m.group(0))}
        concepts = [c for c in concepts if c.word not in said and not any(w.startswith(c.word) for w in said
                                                                          if len(c.word) >= 4)]
    if count:  # "welke twee scenario's": the number says how many, it is not what is asked about
        concepts = [c for c in concepts if fold(c.word) not in _NUMBER_WORDS and c.word != str(count)]
    if context:
        own = {c.stems for c in concepts}
        context_reader = _english_concepts if re.search(r"\b(?:the|what|which|how)\b", context, re.I) else _dutch_concepts
        # "Hoeveel uur krijgen peuters daar?" after "… de Spilcentra in Eindhoven?": the place pointed at is the
        # previous turn's name, and the answer must be about it, not about another place
        pointed = ({fold(w) for w in re.findall(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’-]*[a-z][\w'’-]*", context.strip())}
                   if POINTS_AT_PLACE.search(question) else set())
        for c in _unique(context_reader(context, is_name)):
            if c.stems not in own:
                c.context = fold(c.word) not in pointed
                concepts.append(c)
    named = list(named_docs or [])
    if kind in (LIST, FACTUAL) and len(named) >= 2:
        kind = COMPARE if _COMPARE.search(question) else kind
    if kind == PROCEDURE and re.search(r"\b(?:differ\w*|verschil\w*)\b", question, re.I):
        kind = COMPARE  # "How do A and B differ in …?" asks no way of doing something
    slot = asked_slot(question)
    if slot in ("money", "amount", "share", "time", "age", "change"):  # "how much *money*", "welk *bedrag*", "welke *leeftijd*":
        # the slot says it, it is no topic
        concepts = [c for c in concepts if c.word not in SLOT_WORDS]
    if slot == "contact":  # "het *telefoonnummer* van IKC Plataan": the value asked for, not what it is asked about
        concepts = [c for c in concepts if not re.fullmatch(CONTACT_NOUNS, c.word)]
    return Analysis(question, language, kind, slot, concepts, named, count)


def _stems_of(text: str, language: str, is_name) -> set[tuple[str, ...]]:
    """The stems of the concepts a text (a statement, a question's first part) names itself."""
    return {c.stems for c in _unique((_english_concepts if language == "en" else _dutch_concepts)(text, is_name))}


def analyse(question: str, language: str, is_name=lambda w: False, named_docs: list[str] | None = None,
            context: str = "") -> Analysis:
    """Kind, slot and focus of a (cleaned) question; `context` is the previous turn's question for a follow-up.

    Statements around the question add to the context; a question asking two things gets `parts`, each
    with its own kind and focus, the later ones leaning on the first ("… and what is *their* task?")."""
    statement, parts = question_parts(question)
    context = " ".join(x for x in (context, statement) if x)
    first = _analyse_one(parts[0], language, is_name, named_docs, context)
    if statement and not first.own:
        # "Ik zie de afkorting TBVA staan. Waar staat die voor?": a question with no topic of its own asks about
        # what the statement before it names (an English word the glossary lacks is a topic of its own: "What does
        # that toolkit contain?" asks about the toolkit, not about "the end of the handbook" where it stands); when
        # the statement quotes a word ("lees ik steeds 'bestemmingsomschrijving'"), the word quoted is what it names
        quoted = QUOTED.findall(statement) or _MENTIONED.findall(statement)
        own = _stems_of(" ".join(quoted) or statement, language, is_name)
        for c in first.concepts:
            c.context = c.context and c.stems not in own
        if _ASKS_WHAT_IT_IS.match(parts[0]):  # "Wie is dat precies?": what the thing named before is
            first.kind, first.slot = DEFINITION, None
    elif statement and QUOTED.search(statement):
        # "… talks about 'ambitieniveaus'. What are those levels?": the word the statement quotes is the word asked
        # about when the question points back at it by what it is ("those levels": "niveaus" ends the quoted word);
        # a quote that is only said ("omdat het nu 'hip' is") is context
        quoted_text = " ".join(QUOTED.findall(statement))
        said = set(terms(quoted_text))
        nouns = {fold(m.group(1)) for m in _POINTED.finditer(first.question)}
        pointed = [c for c in first.concepts if not c.context and c.word in nouns]
        if any(st in t for c in pointed for st in c.stems for t in said):
            quoted = _stems_of(quoted_text, language, is_name)
            for c in first.concepts:
                if c.context and c.stems in quoted:
                    c.context = False
    if len(parts) == 1:
        return first
    first.parts = [first]
    for text in parts[1:]:
        part = _analyse_one(text, language, is_name, named_docs, " ".join(x for x in (context, parts[0]) if x))
        if not part.own:  # "… en waarom?": the part asks about what the first part named
            part.leans = True
            own = _stems_of(parts[0], language, is_name)
            for c in part.concepts:
                c.context = c.context and c.stems not in own
        first.parts.append(part)
    return first
