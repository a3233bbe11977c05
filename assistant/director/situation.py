"""Reading §8's criteria from a situation a director describes (Dutch or English).

"Ons team, de MR en ons bestuur staan achter de wens om IKC te worden; met kinderopvang Het Klavertje
hebben we afgesproken dat zij onze vaste partner wordt. We willen dit schooljaar nog beginnen."
says: want = yes, team / MR / board = yes, partner chosen, pace = direct; it says nothing about the
parents, so that stays unknown (and is asked), never a no.

The text is cut into short segments (at sentence ends, `;`, commas and "en/and/maar/but"). A segment
names groups (team, parents, MR, board; a pronoun at its start, "they", the groups just named) and carries a
stance read from how it says it, not from a list of sentences: the director not knowing ("weet ik niet", "I
don't know what …": stays unknown), not discussed yet (a denied act of communication, or one still ahead:
"nog niet gepeild", "het gesprek nog voeren", "hasn't taken a position"), hesitation (*verdeeld, twijfel,
zorgen, not sure* …), content with how things are, support (*staan achter, enthousiast, approved* …; denied:
a no, or hesitation when said with "not yet"; a denied objection, "geen bezwaar", is support), and a denied
statement with none of these ("the parents don't see it happening") as not (yet) for it. Groups listed
without a stance of their own take the stance after the list ("Team, MR en ouders | zijn enthousiast");
"en het bestuur ook" takes the one before; a contrast ("maar …") keeps its own. The wish is the school's
own ("we", the team): a denied intent is a no ("no plans to become an IKC"), "nog geen" and "of we …"
a maybe. The partner is chosen when agreed, named ("Kinderopvang De Boomhut") or the one we already work
with, open when not chosen, in talks or asked about ("welke … het wordt"); a segment that goes on about
it without naming anyone continues it.

Who a clause speaks of comes from its structure: the groups of its main clause (not a relative clause, "… the
childcare the parents choose", nor a beneficiary, "de kosten voor ouders"); a pronoun or "alle drie" / "all of us"
for the groups just listed; "iedereen" for the groups named before in the sentence; "others" for part of the
group before; a clause without a subject of its own ("… op de agenda gezet | en meteen goedgekeurd") for the
subject before it, whose stance it then updates. A group's stance comes from its own clause, from what it says
("laten weten dat ze … willen", "agreed that we're better off as a school"), or from a following clause only
when the group is listed ("Team | ouders | MR zijn blij"), never from the next group's clause. A group for it in
one clause and against in another, or only part of it for it ("a few teachers"), is divided (PARTLY). A
question put to us ("het bestuur vroeg of wij …") is not our doubt; its answer ("nee", "we hebben besloten dat
we dat niet doen") is the wish. Plain patterns, no models; `tests/test_category.py` and
`evals/sets/category-dev*.jsonl` check them.
"""

from __future__ import annotations

import copy
import re

from assistant.director.category import DIRECT, LATER, PARTLY, PENDING, CategoryAdvice, CategoryAnswers, decide
from assistant.director.intents import is_category_question
from assistant.director.reading import denies, says_not_yet
from assistant.director.replies import MAYBE, NO, YES
from assistant.language import detect_language
from ikc.text import sentences

_I = re.IGNORECASE

# "maar" / "but" stays at the start of the segment it opens: the clause after a contrast carries the stance.
_SEGMENT = re.compile(r"\s*[;:]\s*|,\s+|\s+(?:en|and)\s+(?!(?:met|with)\b)|"
                      r"\s+(?=(?:maar|but|terwijl|whereas|while)\s+(?!(?:met|with)\b))", _I)

GROUPS = {
    "team": re.compile(r"\b(?:team|teams|staff|teachers?|leerkrachten|medewerkers|personeel|collega'?s|colleagues)\b", _I),
    "ouders": re.compile(r"\b(?:ouders|parents?|parents'|ouderraad|ouder\w*peiling|oudertevredenheid\w*|families)\b", _I),
    "mr": re.compile(r"\b(?:mr|medezeggenschap\w*|participation council)\b", _I),
    "bestuur": re.compile(r"\b(?:bestuur|besturen|schoolbestuur|bestuurders?|(?<!\bon )board|boards|governing body)\b", _I),
}
_EVERYONE = re.compile(r"\b(?:iedereen|everyone|everybody|alle (?:partijen|betrokkenen|geledingen)|all parties|"
                       r"all of them)\b", _I)
_SUPPORT_WORD = re.compile(r"\b(?:draagvlak|support|steun)\b", _I)

# A stance is read from what a clause says and how: its polarity (a denial, `reading.denies`), whether it says
# "not yet" (`reading.not_yet`), whether the clause hesitates, and words of support. "Not yet convinced", "zien het
# nog niet zitten" are a denied support word said with "yet": hesitation; without "yet" a denied support is a no.
_COMMUNICATE = (r"besproken|bespreken|gesproken|spreken|praten|gepraat|overleg\w*|discuss\w*|talk\w*|consult\w*|"
                r"geraadpleegd|raadplegen|gevraagd|asked|ask|voorgelegd|voorleggen|(?<!eerlijk )gezegd|said|betrokken|"
                r"betrekken|involved|involve|put it to|raised it|gepeild|peilen|"
                r"polled|surveyed|geïnformeerd|informeren|informed|ingelicht|op de hoogte|aware|weten (?:er )?van|"
                r"know (?:\w+ )?about|heard|gehoord|told|verteld|meegedeeld|laten weten|let us know|"
                r"gereageerd|reageren|responded|replied|agenda|standpunt|position|stance|mening|opinion|gesprek\w*|conversation")
_PENDING = re.compile(rf"\b(?:{_COMMUNICATE})\b", _I)
# "the conversation is still to be had": communication that lies ahead, said without a denial.
_AHEAD = re.compile(
    r"\b(?:nog (?:\w+ )?(?:moeten|gaan|voeren|bespreken|peilen|informeren)|moeten (?:\w+ )?nog|gaan (?:\w+ )?"
    r"(?:bespreken|vragen|peilen|informeren|voorleggen)|still (?:have|need) to|will (?:discuss|talk|ask|consult|"
    r"inform)|going to|plan to (?:discuss|talk|ask|consult|inform)|next (?:week|month|meeting)|"
    r"op de agenda (?:gezet|geplaatst|staan|staat)|(?:put|placed) (?:it )?on the agenda)\b", _I)
_HESITANT = re.compile(
    r"\b(?:verdeeld|divided|split|twijfel\w*|hesitant|hesitat\w*|aarzel\w*|zorgen|worr(?:y|ied|ies)|concerns?|"
    r"bezwaar\w*|tegen|against|weerstand|resist\w*|sceptisch\w*|skeptic\w*|sceptic\w*|kritisch|critical|"
    r"reluctant|terughoudend|unconvinced|more information|meer informatie|vragen bij|questions|bang|afraid|"
    r"nieuwsgierig|curious|afwachtend|wait and see|not sure|unsure|niet zeker|onzeker|undecided|er (?:nog )?niet "
    r"(?:over )?uit|nog niet uit|cautious\w*|voorzichtig|doubt\w*|vragen zich af|afvragen|wonder\w*|"
    r"on the fence|stalemate|deadlock\w*|patstelling|impasse|half for|de helft (?:voor|tegen)|"
    r"lukewarm|lauw|ambivalent|mixed|gemengd|wisselend|reservations?|bedenkingen|wary|cold feet|"
    r"huiverig|niet happig|afwijzend|tegenstanders?|negatie\w*|negative|oppos\w*|bezorgd|concerned|"
    r"onduidelijkheid|onzekerheid|uncertainty|vraagtekens|question marks|"
    r"less sure|minder zeker|grumbl\w*|mopper\w*|gemopper|klag\w*|complain\w*|"
    r"making up \w+ minds?|(?:nog|still) (?:aan het )?(?:nadenken|thinking|deciding|weighing|wegen)|afwegen)\b", _I)
_SUPPORTS = re.compile(
    r"\b(?:(?:er|daar)?achter|behind|steun\w*|support\w*|enthousiast\w*|enthusias\w*|ingestemd|instemming|stemmen in|"
    r"agree[sd]?|in favou?r|consent\w*|toestemming|encourag\w*|aanmoedig\w*|moedig\w* \w+ aan|stimuleer\w*|"
    r"stimuleren|push(?:es|ing)? for|pushing|duwt|dringt (?:\w+ )?aan|"
    r"voorstander\w*|on board|back(?:s|ed|ing)?|green light|groen licht|like[sd]? (?:the idea|it)|"
    r"zien? [^.;,]{0,40}?zitten|ziet [^.;,]{0,40}?zitten|duidelijk ja|"
    r"said yes|ja gezegd|positie\w*|positiv\w*|"
    r"committed|signed off|endorse\w*|onderschre\w*|omarm\w*|embrac\w*|"
    r"willen door|wil door|respect\w*|(?:ziet|zien|zag|zagen) (?:\w+ )?graag|graag (?:ziet|zien)|"
    r"legt zich (?:\w+ )?neer|leggen zich (?:\w+ )?neer|accept(?:s|ed|ing)?|aanvaard\w*|eens|akkoord|approv\w*|"
    # "voor" / "for" as what the clause says ("zijn er allebei voor", "voted for it"), not a preposition
    # ("de kosten voor ouders"); a separable verb with its particle at the end ("het team en de MR stemden in")
    r"(?:er|daar)?voor(?=\s*(?:[.,;:!?'\"’”]|$))|(?:er|daar)?voor gekozen|for it|"
    r"laten merken dat \w+ (?:het|dat) wil\w*|(?:er|daar)?voor (?:ge)?stem\w*|voted (?:in favou?r|for)|"
    r"stem\w*(?:\s+\w+){0,4}?\s+in(?=\s*(?:[.,;:!?]|$))|goedgekeurd|goedkeuring|keen|eager|"
    r"blij|happy|glad|goed (?:plan|idee)|good (?:plan|idea)|great idea|prima|fine|convinced|overtuigd|"
    r"(?:geeft|geven) (?:ons )?(?:alle )?(?:ruimte|vrijheid)|free hand|whatever we decide|our (?:call|choice)|"
    r"(?:laat|laten|leaves?|leaving)\b(?:\s+\w+){0,3}?\s+(?:aan|bij|to|with|up to)\s+(?:ons|us|(?:each|every|the|de|elke|iedere) "
    r"(?:school|schools|scholen|location|locatie|locaties))\b|"
    # a board that writes it into its plans has chosen for it ("heeft IKC-vorming in het strategisch beleidsplan gezet")
    r"(?:in|into)\s+(?:het |the |its |our |ons |zijn |haar )?(?:\w+ )?(?:beleidsplan|koersplan|policy plan|strategic plan)|"
    r"welwillend|receptive|open-minded|all for it|warm (?:voor|over)|lopen warm|loopt warm|"
    r"zien er (?:wel )?(?:wat|iets|veel) in|ziet er (?:wel )?(?:wat|iets|veel) in|te springen|favou?rable|gunstig|"
    r"om\b(?=\s*[:;,.]|$)|would like it|'d like it|wants? it|wil het|willen het)\b", _I)
# The director does not know what a group thinks: that group stays unknown (asked), whatever else the clause says.
_IGNORANCE = re.compile(
    r"\b(?:weet ik (?:\w+ )?(?:niet|niets)|ik weet (?:\w+ )?(?:niet|niets)|geen idee|(?:i|we) (?:don't|do not) know|"
    r"no idea|not sure (?:what|how)|unsure (?:what|how)|onbekend|unknown|nog onduidelijk hoe|"
    r"(?:weten|weet|know)\b(?:\s+\w+){0,3}?\s+(?:niet|not)\s+(?:of|whether|if)|(?:don't|do not) know (?:whether|if))\b", _I)
# "we willen eerst met team en ouders verkennen of er genoeg steun is": support that is still to be found out is
# asked, not stated; like "not discussed yet" it is not established (PENDING).
_TO_FIND_OUT = re.compile(r"\b(?:verkennen|onderzoeken|peilen|nagaan|navragen|bekijken|uitzoeken|polsen|explore|find out|"
                          r"check|sound out|ask|investigate|see)\b[^.;]*?\b(?:of|whether|if)\b", _I)
# "and the board too": a group whose clause only says it agrees with the one before.
_TOO = re.compile(r"(?:\b(?:ook|too|as well|also|eveneens|likewise|idem)(?:\s+niet)?|\b(?:neither|either|the same(?: way)?|"
                  r"hetzelfde|net zo)|^(?:(?:en|and)\s+)?(?:so|nor|neither) (?:is|are|does|do|has|have|did|was|were)"
                  r"\b.*)\W*$", _I)
# "they have raised questions": a clause that starts with a pronoun speaks of the groups named just before.
# A denied hesitation is support: "de MR heeft geen bezwaar", "no objections", "het team heeft er geen moeite mee".
_OBJECTION = re.compile(r"\b(?:bezwaar\w*|objections?|objects?|tegen|tegenin|against|zorgen|concerns?|worries|weerstand|"
                        r"resistance|moeite|problem\w*|probleem\w*|negatie\w*|negative|oppos\w*|reservations?|"
                        r"bedenkingen)\b", _I)
# Where a subordinate clause starts: a denial after it is about something else ("… omdat we geen … willen").
_SUBORDINATE = re.compile(r"\b(?:omdat|doordat|zodat|zodra|wanneer|because|since|so that|as soon as|when|if|"
                          r"once|unless|tenzij)\b", _I)
_IKC = re.compile(r"\b(?:ikc|ikc's|ikcs|kindcentrum|kindcentra|integraal kindcentrum)\b|\bikc-", _I)
# Words of intent that a denial turns into "we do not want it": "no plans to become an IKC".
_INTENT = re.compile(r"\b(?:want|wants|wanted|willen|wil|plan\w*|"
                     r"van plan|intend\w*|intention|aim|streven|kiezen voor|choose|chosen|gekozen|"
                     r"behoefte|need|zin|interest\w*|wish|desire|ambiti\w*)\b", _I)
WORDS = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
BARE_LIST_WORDS = 3  # a segment of at most this many words that names groups is part of a list ("Team", "de ouders")
# Agreeing with what was just said ("het team is het daarmee eens", "our board respects that choice", "vindt dat
# prima"): the agreement takes the side of that statement, so agreeing with not becoming an IKC is not support.
_AGREES_BACK = re.compile(r"\b(?:daarmee|daar\w*|ermee|dat|die keuze|dat besluit|that|this|with it|with them)\b", _I)
# Support that is still to be won: "moet nog overtuigd worden", "has yet to agree", "still needs to be convinced".
_STILL_TO_WIN = re.compile(r"\b(?:moet(?:en)? (?:\w+ )?nog|nog (?:\w+ )?moet(?:en)?|still (?:has|have|needs?) to|yet to|"
                           r"(?:has|have|need|needs) to be)\b", _I)
_STILL = re.compile(r"\b(?:nog|yet|still)\b", _I)  # with a denial: "not (been told) yet", "nog (lang) niet"
_CONTRAST_START = re.compile(r"(?:maar|but|terwijl|whereas|while|however|echter|though)\b", _I)
_PRONOUN = re.compile(r"^(?:(?:en|and|maar|but)\s+)?(?:they|ze|zij|die|hun|them)\b", _I)
# "ze zijn er alle drie voor", "all of us want …": the groups just listed, all of them
_ALL_OF_THEM = re.compile(r"\b(?:alle (?:drie|vier|twee)|allemaal|allebei|all (?:of us|of them|three|four)|both|we all)\b", _I)
# "a few teachers are really keen, others not at all": part of the group just named
_OTHERS = re.compile(r"^(?:(?:en|and|maar|but|terwijl|while)\s+)?(?:(?:the |de )?others|the rest|(?:de )?anderen|de rest|"
                     r"sommigen|some of them)\b", _I)
# "het overgrote deel", "the majority": most of the group just named, which speaks for the group as a whole
_MOST = re.compile(r"\b(?:(?:het )?(?:overgrote|grootste) deel|(?:de |een )?(?:grote |ruime )?meerderheid|de meesten?|"
                   r"bijna iedereen|(?:the |a )?(?:vast |large |clear )?majority|most of (?:them|us|the \w+)|"
                   r"almost everyone|nearly everyone)\b", _I)
# A quantifier that takes part of a group ("a few teachers", "sommige ouders"): its support is the group's in part.
_PART_OF = re.compile(r"\b(?:a few|some|several|enkele|sommige|een paar|een aantal|een deel van(?: de)?|part of the)\s+"
                      r"(?:\w+\s+)?$", _I)
# Actors of a clause stand in its main clause: a group inside a relative or complement clause that starts mid-way
# ("a school that works with whichever childcare the parents choose") is not what the clause speaks of.
# A group the clause is for, not one that acts or is asked: "de kosten voor ouders", "activities for parents".
_BENEFICIARY = re.compile(r"\b(?:voor|for)\s+(?:(?:de|het|the|onze|our|alle|all)\s+)?$", _I)
_RELATIVE_START = re.compile(r"(?:which|who|die|dat|wat)\b", _I)
_EMBEDDED = re.compile(r"\s(?:that|whom|whichever|whatever|die)\s", _I)
# A clause with a subject of its own; one without ("… op de agenda gezet | en meteen goedgekeurd", "| seem keen")
# goes on about the subject before it, and what it says comes after what that one said.
_SUBJECT = re.compile(r"\b(?:we|wij|ik|i|ze|zij|they|it|het|er|there|de|the|een|a|an|ons|onze|our|my|mijn|hun|their|"
                      r"dit|dat|this|that|die|he|she|hij|you|u|jullie|men|others|anderen)\b|^\W*$", _I)
# A question put to us ("het bestuur heeft gevraagd of wij IKC willen worden", "the alderman asked whether …"):
# what follows "of"/"whether" is asked, not said; the answer comes after it ("nee", "we decided not to").
_POSED = re.compile(r"\b(?:gevraagd|vraagt|vroeg|vragen|asked|asks|ask)\b(?!\s+zich\s+af)[^.;]*?\b(?:of|whether|if)\b", _I)
_BARE_ANSWER = re.compile(r"^\W*(?:nee|no|ja|yes)\W*$", _I)
# "we hebben besloten dat we dat niet doen": a decision that denies what was asked or said before
_DECIDED = re.compile(r"\b(?:besloten|beslist|decided|concluded|geconcludeerd)\b", _I)
_ANAPHOR = re.compile(r"\b(?:dat|dit|het|it|that|this|so)\b", _I)
# The director speaking for the school ("I'm convinced this is the way to go", "ik zie het wel zitten").
_FIRST_PERSON = re.compile(r"^(?:(?:en|and|maar|but|zelf|personally|honestly)\W+)?(?:i|ik|we|wij|i'm|we're|i've|we've)\b", _I)
# A decision still to be taken, later or on a condition ("de MR wil er pas over beslissen als …", "before they say
# anything"), or one that lies ahead or was put off ("de MR beslist volgende maand", "the MR will vote in March", "we
# postponed the vote", "het besluit is uitgesteld"): the group is mentioned and has not settled, so it is known and not
# established yet (PENDING), like a conversation still to be had; not unknown.
_DECISION = (r"(?:beslis\w*|besluit\w*|besluiten|stemm\w*|stemt|stemming|instemm\w*|oordeel\w*|decid\w*|decision|"
             r"vote|votes|voting|ballot|standpunt|position)")
_LATER_MOMENT = (r"(?:volgende|komende|na de|na het|binnenkort|later|in (?:de|het) (?:volgende|komende)|"
                 r"next|coming|soon|after the|in (?:the )?(?:autumn|spring|summer|winter|new year)|"
                 r"(?:in|op|per|voor|before|by) (?:\d{1,2} )?(?:januari|februari|maart|april|mei|juni|juli|augustus|"
                 r"september|oktober|november|december|january|february|march|may|june|july|august|october)\b)")
_DEFERRED = re.compile(
    r"\b(?:pas|only)\b(?:\s+\w+){0,3}?\s+(?:beslissen|besluiten|kiezen|oordelen|decide|agree|vote)\b|"
    r"\b(?:before|voordat)\s+(?:they|it|ze|zij|hij)\s+(?:\w+\s+)?(?:say|decide|zeggen|beslissen)\b|"
    rf"\b{_DECISION}\b(?:\s+[\w'-]+){{0,5}}?\s+{_LATER_MOMENT}\b|"
    rf"\b(?:will|gaat|gaan|zal|zullen|is going to|are going to|'ll)\s+(?:\w+\s+){{0,3}}?{_DECISION}\b|"
    rf"\b(?:postpon\w*|deferred|delayed|put off|uitgesteld|uitstellen|stelt\s+(?:\w+\s+){{0,4}}?uit|"
    rf"stelden\s+(?:\w+\s+){{0,4}}?uit|aangehouden|opgeschort)\b(?:\s+[\w'-]+){{0,3}}?\s*(?:{_DECISION})?|"
    rf"\b{_DECISION}\b(?:\s+[\w'-]+){{0,3}}?\s+(?:uitgesteld|postponed|deferred|put off|aangehouden)\b|"
    # "de MR moet nog besluiten", "has yet to decide", "staat voor volgende maand op de agenda"
    rf"\b(?:nog|still|yet)\b(?:\s+\w+){{0,2}}?\s+{_DECISION}\b|"
    r"\b(?:staat|staan|is|are)\s+(?:\w+\s+){0,4}?(?:op de agenda|on the agenda)\b", _I)

_NO_WANT = re.compile(
    r"geen (?:ikc|integraal kindcentrum|kindcentrum)\b|niet (?:\w+ )?(?:een )?(?:ikc|kindcentrum) (?:te )?worden|"
    r"geen belangstelling|geen interesse|not interested|no interest|"
    r"(?:don't|do not|doesn't|does not|won't|will not) (?:want|wish|need|intend) to become|"
    r"decided (?:not|against)|(?:don't|do not) see the need|no need to become|not to become|"
    r"willen (?:het )?zo houden|blijven zoals|stay (?:as|the way) (?:we are|it is)|happy as (?:we|they) are|"
    r"tevreden (?:\w+ )?(?:zoals|met hoe) het (?:nu )?(?:gaat|is)|voted (?:it |the plan |the idea )?down|"
    r"(?:weggestemd|stemde\w* (?:het )?weg)|(?:happy|content) with (?:how|the way) things are|"
    r"(?:liever|rather) (?:focus|richten|concentrate)|zien? (?:er )?niets in|ziet (?:er )?niets in|sees? nothing in|"
    r"(?:is|are|seems?) not (?:for|right for) us|(?:is|lijkt) (?:niets|niet) voor ons|"
    r"(?:remain|stay\w*|blijven)\b(?:\s+\w+){0,3}?\s+(?:school|basisschool|primary school)\b|"
    r"(?:ikc|kindcentrum)[^.;]*(?:not on the agenda|niet op de agenda|niet aan de orde|geen optie|not an option)|"
    r"(?:satisfied|tevreden|content|happy) (?:with|met) (?:the |de |het |onze |our )?(?:current|huidige|present|"
    r"bestaande)|(?:blijven|stay|remain) (?:liever |graag |rather )?(?:zelfstandig|independent)|"
    r"(?:volledig|alleen|uitsluitend) op (?:het )?onderwijs|(?:entirely|solely|only) on (?:education|teaching)|"
    # a preference for something else over the IKC ("liever in ons leesonderwijs dan in een kindcentrum", "better
    # off as a plain primary school"), or for things as they are ("keep things as they are", "alles blijft zoals")
    r"(?:liever|rather|better off|beter af|prefer\w*)\b[^.;]*?\b(?:dan|than|as|als)\b[^.;]*?\b(?:ikc|kindcentrum|"
    r"school|basisschool)\b|keep (?:things|it|everything) (?:as|the way)|blijf\w* zoals|"
    r"(?:houden|laten) (?:het|alles) zoals|"
    # no reason or aim: "neither the team nor I see any reason to turn the school into an IKC", "een IKC is voor ons geen
    # doel"
    r"\b(?:see|sees|zien|ziet)\s+(?:no|any|geen)\s+(?:reason|reden|need|noodzaak|point|aanleiding)\b[^.;]*?"
    r"\b(?:ikc|kindcentrum)|(?:ikc|kindcentrum)\b[^.;]*?\b(?:geen doel|no goal|not a goal|not our goal|geen ambitie)\b|"
    r"^(?:(?:en|and|dus|so)\s+)?(?:we|wij)\s+(?:willen|want)\s+(?:het|dat|it|that)\s+(?:dus\s+|also\s+)?(?:niet|not)\b", _I)
_MAYBE_WANT = re.compile(
    r"nieuwsgierig|nadenken|denken (?:er )?(?:nog )?over|oriënt\w*|orient\w*|verken\w*|explor\w*|curious|"
    r"think (?:it )?over|thinking about|take (?:our|their) time|de tijd nemen|rustig|eventually|ooit|misschien|"
    r"maybe|not (?:yet )?sure (?:whether|if)|(?:weten|weet|know)\b(?:\s+\w+){0,3}?\s+(?:of|whether|if)\s+(?:we|wij|het|een|it|this|an)\b|"
    r"twijfel\w*|in doubt|undecided|overweg(?:en|t|ing\w*)\b|"
    r"\b(?:of\s+(?=(?:we|wij|het|een|er|dat|dit)\b)|whether\b)[^.;]*\b(?:ikc|kindcentrum)|"
    r"consider\w*|onderzoek\w*|investigat\w*|look into|sta\w*\b(?:\s+\w+){0,3}?\s+open\b|open (?:to|for)|"
    r"^(?:of|whether) (?:we|wij)\b|(?:no|geen) (?:decision|besluit) (?:yet|genomen)|nog geen besluit", _I)
_YES_WANT = re.compile(
    r"\b(?:willen|wil|wilt|zouden|zou|want|wants|would like|'d like|wish|wens|besloten|decided|enthusias\w*|"
    r"enthousiast\w*)\b[^.;]*\b(?:ikc|ikc's|ikcs|kindcentrum|kindcentra)\b|\bikc (?:te )?worden|"
    r"\b(?:form|start|become|go on as|verder (?:te )?(?:gaan )?als|door als)\b[^.;]*\b(?:ikc|kindcentrum)\b|"
    r"\b(?:ikc|kindcentrum)\b[^.;]*\b(?:willen|wil|wilt|want|wants)\b|"
    r"\bwillen door\b|\b(?:willen|want to|would like to)\b[^.;]*\b(?:starten|beginnen|start|begin|get going)\b", _I)
_WE = re.compile(r"\b(?:we|wij|ik|i|we'd|we're|we've|we'll|ons team|our team|team)\b", _I)

_PARTNER = re.compile(r"\b(?:partner\w*|opvang\w*|kinderopvang\w*|peuteropvang\w*|childcare|child care|daycare|"
                      r"bso|kinderdagverblijf\w*|kdv|provider|pre-?school\w*|after-school|voorschool\w*|toddler\w*|"
                      r"nurser(?:y|ies)|"
                      r"peuter(?:groep|speelzaal|werk)\w*|gastouder\w*)\b", _I)
_CHOICE = re.compile(r"\bkeuze\b|\bchoice\b", _I)
# The act of choosing a partner ("… and chose Kidskompas", "hebben een intentieovereenkomst getekend"): it ends a search
# told before it. The mention of a current partner ("onze huidige peuteropvang stopt") is no such act.
_CHOSEN = re.compile(r"\b(?:chose|chosen|koos|kozen|gekozen|opted for|picked|selected|decided on|besloten|decided|"
                     r"signed|getekend|ondertekend|afgesproken|agreed)\b", _I)
# "welke kinderopvangorganisatie het wordt", "which provider": the partner asked about, so not known to be chosen
_WHICH_PARTNER = re.compile(r"\b(?:welke|which|wie|who)\b(?:\s+[\w-]+){0,2}?\s+(?:partner\w*|opvang\w*|"
                            r"kinderopvang\w*|childcare|provider|organisati\w*|organization|organisation)", _I)
# A partner named by its own name is a chosen one ("Kinderopvang De Boomhut wordt onze partner", "met peuteropvang
# De Vlinder"): a capitalised name after the kind of organisation. Case-sensitive on purpose.
_NAMED_PARTNER = re.compile(r"\b(?:[Kk]inderopvang\w*|[Oo]pvang\w*|[Pp]euteropvang|[Kk]inderdagverblijf|BSO|bso|"
                            r"[Pp]artner|[Cc]hildcare(?: provider| organi[sz]ation)?)\s+(?:(?:van|of)\s+)?"
                            r"(?:(?:De|Het|The|'t)\s+)?[A-Z][\w'-]+|"
                            r"\b(?:the|de|het|our|onze)\s+[A-Z][\w'-]+\s+(?:toddler|pre-?school|childcare|after-school|"
                            r"nursery|daycare|peuter|kinderopvang|opvang|bso)")
_PARTNER_OPEN = re.compile(
    r"twijfel\w* tussen|keuze is nog niet|nog niet (?:gekozen|gemaakt)|(?:is|blijft) nog open|nog open|"
    r"still open|not (?:yet )?(?:chosen|decided|picked|settled)|in gesprek|in talks|talking (?:to|with)|"
    r"compar\w*|vergelijk\w*|\b(?:geen|no)\s+(?:\w+\s+)?(?:\w*partner\w*|childcare|provider)|"
    r"praten (?:nog )?met|gesprekken met|oriënteren ons|looking (?:at|for)|searching for|shortlist|"
    r"\bzoek(?:en|t)\b(?:\s+\w+){0,2}?\s+(?:een|naar)\b|"
    # several candidates: "contact met twee opvangorganisaties", "a couple of childcare organisations"
    r"\b(?:twee|drie|meerdere|verschillende|two|three|several|a couple of)\s+(?:\w+\s+)?(?:\w*opvang\w*|"
    r"\w*organisaties|\w*partners|providers|organi[sz]ations|nurseries)\b|"
    r"in mind|op het oog|nog geen partner|no partner|geen partner|"
    r"(?:weet|weten) (?:nog )?niet of|(?:don't|do not) know (?:yet )?(?:whether|if)|between two|tussen twee|"
    # talks without an outcome: "a few conversations with a childcare provider, but nothing is fixed"
    r"conversations? with|verkennende gesprekken|nothing (?:is|has been) (?:fixed|agreed|settled|decided)|"
    r"niets (?:is )?(?:vastgelegd|afgesproken|vast)|er is niets afgesproken", _I)
_PARTNER_SET = re.compile(
    r"vaste partner|partner (?:is|zijn) (?:al )?(?:bekend|duidelijk|gekozen)|"
    r"\b(?:gekozen|afgesproken|afspraken|agreed|chosen|picked|settled|selected|bekend|duidelijk|known|clear|signed|"
    r"getekend|gevonden|found|vastgelegd|rond|vast|geregeld|arranged|contract\w*|intentieverklaring|letter of intent)\b|"
    r"\b(?:wordt|worden|becomes?|will be) (?:onze|ons|our) |\b(?:onze|our) (?:huidige |current |bestaande |existing )"
    r"|\b(?:already|al) (?:share|run|runs|in ons gebouw|in hetzelfde gebouw)|wants to join|wil (?:aansluiten|meedoen)|"
    r"samen (?:met [^.;]*)?besloten|together|werken al (?:jaren )?samen|already work|have worked|"
    r"al jaren samen|onze (?:\w+ )?(?:kinderopvang|opvang)?partner|our (?:\w+ )?(?:childcare )?partner|"
    r"\b(?:chose|koos|kozen|opted for|gekozen voor|decided on|stay with|blijven bij|verder met)\b|"
    # the partner we already have or work with: "hebben al een partner", "met wie we al jaren werken", "we work well
    # with the BSO around the corner", "wil graag mee"
    r"\b(?:al|already)\s+(?:\w+\s+)?(?:een|a)\s+(?:\w+)?partner\b|met wie (?:we|wij) (?:al )?(?:\w+ )?(?:samen)?werken|"
    r"\b(?:we|wij)\s+(?:\w+\s+){0,2}?(?:work|werken)\s+(?:\w+\s+){0,2}?(?:with|met)\s+(?:the|de|het|our|onze)\b|"
    r"\bwil(?:len)? (?:graag )?mee\b|\bwants? to come along\b", _I)

_DIRECT = re.compile(
    r"\b(?:direct|per direct|meteen|zo snel mogelijk|zsm|dit schooljaar|nu (?:al )?(?:beginnen|starten)|"
    r"straight away|right away|immediately|as soon as possible|asap|get going|start now|begin now|this school year|"
    r"this year|(?:start|begin|starten|beginnen)\s+(?:\w+\s+){0,2}?(?:as soon as|zodra)|"
    r"(?:don't|do not) want to wait|(?:willen|wil) niet (?:langer )?wachten|can't wait)\b", _I)
_LATER = re.compile(
    r"\b(?:rustig|de tijd nemen|take (?:our|their) time|eventually|over \w+ jaar|in \w+ years|later|"
    r"komende? jaar|next year|ooit|not yet ready|for now|in \w+ or \w+ years|no rush|geen haast|no hurry|not in a hurry|"
    r"carefully|(?:don't|do not|niet) (?:want to )?rush|overhaast|"
    r"zorgvuldig|geleidelijk|gradually|step by step|stap voor stap|"
    r"(?:eerst|first)\s+(?:\w+\s+){0,2}(?:onderzoeken|verkennen|explore|investigate|nadenken|think|kijken|look))\b", _I)
# When the school means to start, named as a moment: a month, a season or holiday, a (school) year, a date. With a
# start ("we willen per 1 augustus van start", "we'd like to start next school year") or the wish itself ("an IKC as
# of January") it says the pace: a start that is planned (DIRECT), unless the wording takes its time (`_LATER`).
_MONTH = (r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|"
          r"march|may|june|july|august|october")
_MOMENT = (rf"(?:(?:\d{{1,2}} )?(?:{_MONTH})|"
           r"(?:de |the )?(?:zomer(?:vakantie)?|kerst(?:vakantie)?|voorjaarsvakantie|herfstvakantie|summer(?: holidays?)?|"
           r"christmas)|"
           r"(?:volgend|komend|het nieuwe|nieuw|next|the new|the coming|this coming|this)e? (?:school ?)?"
           r"(?:jaar|year|term|semester)|"
           r"20\d\d(?:[-/](?:20)?\d\d)?)")
_START_WORD = (r"(?:start|starten|starting|begin|beginnen|beginning|van start|get going|go live|open|openen|"
               r"first steps?|eerste stap(?:pen)?|running|draaien|draait)")
_START_MOMENT = re.compile(
    rf"\b{_START_WORD}\b[^.;]*?\b(?:(?:in|per|na|vanaf|from|as of|after|by)\s+)?{_MOMENT}\b|"
    rf"\b(?:per|vanaf|as of|from|na|after|in)\s+{_MOMENT}\b[^.;]*?\b{_START_WORD}\b|"
    rf"\b{_MOMENT}\s+(?:\w+\s+){{0,2}}{_START_WORD}\b|"
    rf"\b(?:ikc|kindcentrum)\b[^.;]*?\b(?:per|vanaf|as of|from)\s+{_MOMENT}\b|"
    r"\bliefst gisteren\b|\byesterday\b", _I)
_BREDE = re.compile(r"\bbrede school\b", _I)

# §7's reasons, as people put them.
REASONS = {
    "concurrentie": r"concurren\w*|competi\w*|more pupils than|meer leerlingen dan|attract (?:more )?pupils|"
                    r"leerlingen (?:te )?(?:trekken|winnen)",
    "mode": r"in de mode|trend\w*|fashion\w*|iedereen doet het|everyone is doing",
    "vierkante_meters": r"vierkante meters|square met(?:re|er)s|more space|meer ruimte|m2\b",
    "zo_groot_mogelijk": r"zo groot mogelijk|as (?:large|big) as possible",
    "van_bovenaf": r"van bovenaf|opgelegd|opleggen|impos\w+|from above|top-down|all (?:its|our|their) schools|"
                   r"alle (?:haar |zijn |hun |onze )?scholen",
    "segregatie": r"segregat\w*",
    "doorgaande_lijn": r"doorgaande lijn|continuous (?:line|learning)|continuity",
    "ontwikkelingskansen": r"ontwikkelingskansen|development opportunities|kansen voor (?:de )?kinderen",
    "minder_stress": r"haal[- ]en breng|drop-offs?|pick-ups?|minder stress",
    "talentontwikkeling": r"talentontwikkeling|talent development|talenten van kinderen",
    "bundeling_expertise": r"bundel\w* (?:van )?expertise|korte lijnen|short lines|pool(?:ing)? expertise",
    "preventie": r"preventie|prevention|ondersteuningsbehoefte|extra support for children",
}
_REASONS = {key: re.compile(pattern, _I) for key, pattern in REASONS.items()}

_RANK = {PENDING: 3, NO: 2, PARTLY: 2, YES: 1}


def _segments(text: str) -> list[list[str]]:
    """Per sentence, its short segments."""
    return [[p.strip() for p in _SEGMENT.split(s) if p and p.strip()] for s in sentences(text)]


UNSAID = "unsaid"  # the director says they do not know (a group's view): stays unknown, and ends a shared stance


def _subordinate_cut(segment: str) -> str:
    """The segment up to a subordinate clause ("… omdat we geen leerlingen willen verliezen"): a denial there is
    about something else."""
    return _SUBORDINATE.split(segment, maxsplit=1)[0]


_THAT = re.compile(r"\b(?:dat|that)\s+(?=(?:we|wij|ze|zij|they|het|it|er|there|wij|onze?|our|de|the)\b)", _I)


# The answer a group gave: "the staff said no", "de MR zei ja", "they voted no".
_ANSWERED = re.compile(r"\b(?:said|say|says|zei|zeiden|zegt|zeggen|answered|antwoord\w*|voted|stemden|stemde)\s+(?:\w+\s+)?"
                       r"(no|nee|yes|ja)\b(?!\s+(?:gezegd|to\b))", _I)


def _complement(segment: str) -> str | None:
    """What a clause reports ("… laten weten dat <ze willen …>", "… agreed that <we're better off …>"), or None."""
    found = _THAT.search(segment)
    return segment[found.end():] if found and found.start() > 0 else None


def _stance(segment: str) -> str | None:
    """PENDING, PARTLY (hesitant), NO, YES, UNSAID or None for a segment.

    Read from how the clause says it, not from a list of sentences: not discussed yet (a denied or a
    still-ahead act of communication), hesitant, content with how things are, support (denied: a no, or
    hesitation when said with "not yet"), a wish of its own; a denied statement with none of these is
    read as "not for it" (NO, or PARTLY with "not yet"), since it says the group is not (yet) there."""
    if _IGNORANCE.search(segment):
        return UNSAID
    asked = _TO_FIND_OUT.search(segment)
    if asked and (_SUPPORTS.search(segment[asked.end():]) or _SUPPORT_WORD.search(segment[asked.end():])):
        return PENDING
    posed = _POSED.search(segment)
    if posed:
        segment = segment[:posed.end()]  # the question's content is asked, not said
    head = _subordinate_cut(segment)
    denied, yet = denies(head), says_not_yet(head) or bool(_STILL.search(head))
    answered = _ANSWERED.search(segment)
    if answered and not denies(segment[:answered.start()]) and not says_not_yet(segment):
        return YES if answered.group(1).lower() in ("yes", "ja") else NO  # "the staff said no": an answer, not silence
    said = _complement(segment)
    # A denial inside what a group reports ("hebben gezegd dat ze er niet tegenin gaan") is what it says, not a
    # denial of the saying: only a denied act of communication itself ("nog niet besproken") is "not discussed yet".
    act = segment[:len(segment) - len(said)] if said is not None else segment
    if (_PENDING.search(act) and (denies(_subordinate_cut(act)) or _AHEAD.search(act))) or _DEFERRED.search(segment):
        return PENDING
    if said is not None and _OBJECTION.search(said) and denies(said) and not denies(act):
        return YES  # "ze hebben gezegd dat ze er niet tegenin gaan": a reported "no objection"
    if said is not None and not denied and not _HESITANT.search(head):
        # "het team heeft laten weten dat ze er een kindcentrum van willen maken", "the board agreed that we're
        # better off as a primary school": the group takes the side of what it says
        if _NO_WANT.search(said):
            return NO
        if _YES_WANT.search(said) and not denies(said):
            return YES
    if _STILL_TO_WIN.search(segment) and (_SUPPORTS.search(segment) or _SUPPORT_WORD.search(segment)):
        return PARTLY  # "het team moet nog overtuigd worden", "the MR has yet to agree"
    if _OBJECTION.search(head) and denied:
        return YES  # "de MR heeft geen bezwaar", "no objections"
    if _HESITANT.search(segment):
        return PARTLY
    if _NO_WANT.search(segment):
        return NO  # "Team en MR zijn tevreden zoals het nu gaat", "ons team wil geen IKC worden"
    if _SUPPORTS.search(head) or _SUPPORT_WORD.search(head) or _YES_WANT.search(head):
        if denied:
            return PARTLY if yet else NO
        return YES  # "het bestuur wil dat al zijn scholen IKC worden"
    if denied:
        return PARTLY if yet else NO  # "the parents don't see it happening"
    return None


def _want(segment: str, groups: list[str], about_partner_org: bool) -> str | None:
    """What the school itself (we, the team) wants, from one segment: NO, MAYBE, YES or None."""
    if _POSED.search(segment):
        return None  # "het bestuur heeft gevraagd of wij IKC willen worden": asked of us, answered after
    if _NO_WANT.search(segment):
        return NO
    head = _subordinate_cut(segment)
    ours = bool(_WE.search(segment)) or "team" in groups or not (groups or about_partner_org)
    decided = _DECIDED.search(segment)
    if decided and ours and denies(segment[decided.end():]) and _ANAPHOR.search(segment[decided.end():]):
        return NO  # "we hebben besloten dat we dat niet doen": deciding against what was asked
    about_ikc = bool(_IKC.search(segment))
    if _MAYBE_WANT.search(segment) and not about_partner_org and not _PARTNER_OPEN.search(segment) \
            and not (groups and _stance(segment) == PARTLY):
        return MAYBE
    if ours and about_ikc and denies(head) and (_YES_WANT.search(segment) or _SUPPORTS.search(head)
                                                 or _INTENT.search(head)):
        # "we have no plans to become an IKC", "wij zien het IKC-verhaal niet zitten"; "nog geen": not yet
        return MAYBE if says_not_yet(head) else NO
    if _YES_WANT.search(segment) and not denies(head) and ours:
        return YES
    return None


def _partner(segment: str) -> bool | None:
    """Is the partner chosen, by this segment: False (open: not chosen, in talks, which one not known), True
    (agreed, named, the one we already work with), None (it says neither)."""
    head = _subordinate_cut(segment)
    settled = bool(_PARTNER_SET.search(segment))
    if _PARTNER_OPEN.search(segment) or (denies(head) and settled):
        return False
    if _WHICH_PARTNER.search(segment) and not settled:
        return False  # "welke kinderopvangorganisatie het wordt, weten we nog niet"
    if settled or _NAMED_PARTNER.search(segment):
        return True
    return None


def _shared_stance(stances: list[str | None], segments: list[str], i: int) -> str | None:
    """The stance a group without one of its own takes: the next one in the sentence, across a bare list of
    groups ("Team | ouders | MR zijn er blij mee"); "en het bestuur ook" takes the one before. Stops where the
    director says they do not know. A clause that says something of its own ("the board has said it's our call")
    takes only the stance of a clause without a subject of its own ("… op de agenda gezet | meteen goedgekeurd"),
    not that of the next group ("| the staff haven't been involved yet")."""
    if _TOO.search(segments[i]):
        return next((s for s in reversed(stances[:i]) if s not in (None, UNSAID)), None)
    bare = lambda k: bool(_groups(segments[k])) and len(WORDS.findall(segments[k])) <= BARE_LIST_WORDS  # noqa: E731
    listing = bare(i) or _ends_on_group(segments[i]) or (i + 1 < len(segments) and bare(i + 1))
    for j in range(i + 1, len(segments)):
        if stances[j] == UNSAID or _CONTRAST_START.match(segments[j]):
            return None  # "…, maar het team twijfelt": a stance of its own, not the list's
        if stances[j] is None and _RELATIVE_START.match(segments[j]):
            continue  # "Our board, | which has been pushing for years, | is delighted": an aside about the group
        if stances[j] is not None:
            return None if _groups(segments[j]) and not listing else stances[j]
        if not bare(j):
            return None  # only a bare list of groups passes the stance on ("Team | ouders | MR zijn blij")
    return None


def _ends_on_group(segment: str) -> bool:
    """"After a long consultation our staff": the segment ends on the group it names, so it lists it."""
    words = WORDS.findall(segment)
    return bool(words) and any(p.fullmatch(words[-1]) for p in GROUPS.values())


def _groups(segment: str, named: list[str] | None = None) -> list[str]:
    """The groups a segment speaks of, from its main clause. "Iedereen" is everyone named before in the sentence
    (`named`: "in het team hoor ik wat gemopper, maar iedereen staat erachter"), or every group when none was."""
    main = _main_clause(segment)
    if _EVERYONE.search(main):
        return list(named) if named else list(GROUPS)
    return [g for g, p in GROUPS.items() if any(not _BENEFICIARY.search(main[:m.start()]) for m in p.finditer(main))]


def _main_clause(segment: str) -> str:
    """The segment without a relative or complement clause that starts mid-way: who and what a clause speaks of
    stand there ("a school that works with whichever childcare the parents choose" speaks of neither)."""
    embedded = _EMBEDDED.search(segment)
    return segment[:embedded.start()] if embedded else segment


def _part_of_group(segment: str) -> bool:
    """"a few teachers are keen", "sommige ouders": the segment speaks of part of the group it names."""
    for pattern in GROUPS.values():
        found = pattern.search(segment)
        if found and _PART_OF.search(segment[:found.start()]):
            return True
    return False


# A sentence that says the one before it no longer holds ("That's no longer the case.", "Dat is nu anders.", "Those
# days are over"): what was read from that sentence is withdrawn; the situation is what follows.
_REVOKED = re.compile(
    r"^\W*(?:but |maar )?(?:that|this|dat|dit|het)(?:'s| is| was| has| heeft)?\s+(?:(?:really|echt|nu|inmiddels|now|"
    r"intussen|all|helemaal)\s+)?(?:no longer (?:the case|true|so)|not the case any ?more|niet meer (?:zo|het geval|waar)|"
    r"anders (?:geworden|nu)|nu anders|veranderd|changed|voorbij|over|verleden tijd|history)\W*$|"
    r"^\W*(?:those|die) (?:days|tijden) (?:are|zijn) (?:over|voorbij)\W*$", _I)


def read_situation(text: str) -> CategoryAnswers:
    """What the text says about §8's criteria; what it does not say stays None."""
    answers = CategoryAnswers()
    evidence: dict[str, str] = {}
    wants: list[tuple[str, str]] = []
    last_groups: list[str] = []
    seen: dict[str, set[str]] = {}  # every stance each group was given: for and against is divided
    asked_wish = False  # the segment before put the question of the wish to us ("als u vraagt of …: nee")
    # the state before the sentence just read, restored when the next one withdraws it (`_REVOKED`)
    before_last: tuple | None = None
    for segments in _segments(text or ""):
        if before_last is not None and _REVOKED.search(" ".join(segments)):
            answers, evidence, wants, seen, last_groups = before_last
            before_last = None
            continue
        before_last = copy.deepcopy((answers, evidence, wants, seen, last_groups))
        stances = [_stance(s) for s in segments]
        partner_topic = False
        named: list[str] = []  # the groups named so far in this sentence
        listed: list[str] = []  # the groups of the list running up to here, none with a stance of its own
        this_sentence: set[str] = set()  # the groups given a stance in this sentence (a contrast may revise it)
        for i, segment in enumerate(segments):
            groups = own_groups = _groups(segment, named)
            if not groups and (_PRONOUN.search(segment) or _ALL_OF_THEM.search(segment)):
                # "… our MR …; they have raised questions"; "Team, ouders en MR … | ze zijn er alle drie voor"
                groups = list(dict.fromkeys(listed + last_groups)) if listed else list(last_groups)
            elif not groups and _OTHERS.search(segment):
                groups = list(last_groups)  # "a few teachers are keen, | others not at all"
            elif not groups and _MOST.search(segment):
                groups = list(last_groups)  # "twee collega's zijn sceptisch, | maar het overgrote deel was voor"
            continues = not groups and i > 0 and stances[i] is not None and not _SUBJECT.search(segment) \
                and bool(_groups(segments[i - 1], named))
            if continues:
                groups = _groups(segments[i - 1], named)  # "Het bestuur heeft het op de agenda gezet | meteen goedgekeurd"
            if groups:
                last_groups = groups
                named = list(dict.fromkeys(named + groups))
            if stances[i] is not None:
                listed = []
            elif groups:
                listed = list(dict.fromkeys(listed + groups))
            names_partner = bool(_PARTNER.search(_main_clause(segment)) or _CHOICE.search(segment))
            about_partner = names_partner and not groups
            # "the childcare organisation would like our location to become an IKC": the partner's wish (or
            # the board's), not the school's own.
            about_partner_org = about_partner and not _WE.search(segment)
            want = _want(segment, groups, about_partner_org)
            if want is None and not groups and _WE.search(segment) and _TOO.search(segment) and not names_partner:
                # "het bestuur ziet een IKC wel zitten en wij ook", "and I feel the same way": we share the stance before
                shared = _shared_stance(stances, segments, i)
                want = {YES: YES, NO: NO, PARTLY: MAYBE}.get(shared)
            if want is None and asked_wish and _BARE_ANSWER.search(segment):
                want = NO if segment.strip(" .!:;,").lower() in ("nee", "no") else YES  # the answer to it
            if want is None and not groups and not names_partner and _FIRST_PERSON.search(segment) \
                    and stances[i] in (YES, PARTLY):
                want = {YES: YES, PARTLY: MAYBE}[stances[i]]  # the director for the school: "I'm convinced …"
            asked_wish = bool(_POSED.search(segment) and _IKC.search(segment))
            if want is not None:
                wants.append((want, segment))
            # The partner: a segment that names it, or one that goes on about it without naming anyone
            # ("Met kinderdagverblijf Ukkie zijn we in gesprek, | maar er is nog niets afgesproken").
            if names_partner or (partner_topic and not own_groups):
                chosen = _partner(segment)
                # "the board and the childcare organisation would like our location to become an IKC": the
                # partner is there (not "we want an IKC with a childcare partner", where we speak)
                if chosen is None and names_partner and not _WE.search(segment) and _YES_WANT.search(segment) \
                        and not denies(segment):
                    chosen = True
                if chosen is None and names_partner and _TOO.search(segment) \
                        and _shared_stance(stances, segments, i) == YES:
                    chosen = True  # "het team is ervoor, en de kinderopvang in ons gebouw ook": a partner that wants it
                # A choice stated after a search ("a selection among three providers | and chose Kidskompas") is
                # where the story ends: a settled choice replaces the open one before it, a mere name does not.
                settles = bool(chosen) and bool(_CHOSEN.search(segment)) and not _PARTNER_OPEN.search(segment)
                if chosen is False or (chosen and (answers.partners_clear is None or settles)):
                    answers.partners_clear = chosen
                    evidence["partner"] = segment
                partner_topic = names_partner or partner_topic
            if own_groups:
                partner_topic = False  # the groups are the topic now
            # Support per group: its own stance, else the one it shares ("Team, MR | zijn blij", "en het bestuur ook").
            stance = stances[i]
            if stance is None and groups:
                stance = _shared_stance(stances, segments, i)
            if stance in (None, UNSAID):
                continue
            if stance == YES and wants and wants[-1][0] == NO and _AGREES_BACK.search(segment):
                stance = NO  # "…ziet niets in een IKC; het team is het daarmee eens"
            # "er is draagvlak": support on the location; "I support that decision" is the director's own verb
            if not groups and _SUPPORT_WORD.search(segment) and not _PARTNER.search(segment) \
                    and not _FIRST_PERSON.search(segment):
                groups = ["team", "ouders", "mr"]  # "er is draagvlak" / "geen draagvlak": on the location
            if stance == YES and _part_of_group(segment):
                stance = PARTLY  # "a few teachers are really keen": only part of the team
            # "Twee collega's zijn nog wat sceptisch, maar het overgrote deel was voor": after a contrast the clause
            # carries the stance, what came before it in the sentence is conceded. Not for part of a group ("but
            # others not at all"), which divides it.
            overrides = bool(_CONTRAST_START.match(segment)) and not _OTHERS.search(segment) \
                and not _part_of_group(segment)
            for group in groups:
                field = {"ouders": "parents", "bestuur": "board"}.get(group, group)
                current = getattr(answers, field)
                if overrides and group in this_sentence and current != PENDING:
                    setattr(answers, field, stance)
                    seen[group] = {stance}
                    evidence[group] = segment
                    continue
                this_sentence.add(group)
                seen.setdefault(group, set()).add(stance)
                if {YES, NO} <= seen[group] and current != PENDING:
                    stance_now = PARTLY  # for it in one clause and against in another: divided
                else:
                    stance_now = stance
                if current is None or _RANK[stance_now] > _RANK[current] or stance_now != stance or continues:
                    setattr(answers, field, stance_now)
                    evidence[group] = segment
    if wants:
        kinds = [k for k, _ in wants]
        answers.want = NO if NO in kinds else MAYBE if MAYBE in kinds else YES
        evidence["wil"] = next(s for k, s in wants if k == answers.want)
    elif answers.team == YES:
        answers.want = YES  # the team wants it: the school does
        evidence["wil"] = evidence["team"]
    pace = _LATER.search(text or "") or _DIRECT.search(text or "") or _START_MOMENT.search(text or "")
    if pace:
        answers.tempo = LATER if pace.re is _LATER else DIRECT
        evidence["tempo"] = pace.group(0)
    if _BREDE.search(text or ""):
        evidence["brede_school"] = "brede school"
    answers.reasons = [key for key, pattern in _REASONS.items() if pattern.search(text or "")]
    answers.evidence = evidence
    return answers


def advise_from_text(text: str, language: str | None = None, force: bool = False,
                     known: CategoryAnswers | None = None) -> CategoryAdvice | None:
    """The category a described situation fits (what it leaves open is asked), or None when the text does
    not ask about the category (unless `force`) or says nothing about §8's criteria. `known`: answers
    from earlier in the conversation, which the text adds to or corrects."""
    if not text or not (force or is_category_question(text)):
        return None
    answers = read_situation(text)
    if known is not None:
        answers = known.merged(answers)
    if not answers.known() and not force:
        return None
    return decide(answers, language or detect_language(text))


def category_from_text(text: str, language: str | None = None) -> CategoryAdvice | None:
    """For the chat: the category a described situation fits, or None (see `advise_from_text`)."""
    return advise_from_text(text, language)
