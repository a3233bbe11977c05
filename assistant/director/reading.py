"""Reading a described situation clause by clause: what each clause says, and whether it says it is so.

A director writes "we hebben elkaars visie gelezen, maar een gezamenlijke visie is er nog niet". For
placing that on the instrument, the second clause must count *against* "er is een gezamenlijke visie",
not for it. So a description is cut into clauses (sentences, `;` and `:`, contrast words such as
*maar* / *but*, and a coordination that starts a new clause after a denial), and each clause gets a
polarity: affirmed, or denied (*niet*, *geen*, *nooit*, *nog niet*, *not*, *never*, *hardly*,
*without* …). A denied clause keeps its *core*, the clause without its denial words, which is what it
says is not the case. Descriptors of the instrument are read the same way, so "De partners werken niet
samen" is a denied descriptor whose core is "De partners werken samen": a denied clause about working
together agrees with it.

Plain patterns, Dutch and English; no models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ikc.text import sentences

# Words that deny what their clause says. "niet alleen" / "not only" add rather than deny; "nothing but"
# affirms. "in plaats van" / "rather than" / "instead of" start a clause of their own (see _CONTRAST) that
# says what is *not* the case ("rooms are assigned to school or childcare rather than used by function").
# "nauwelijks", "weinig", "hardly", "little" deny in degree, which is how the descriptors use them
# ("geen tot weinig relatie met hun omgeving").
_DENIAL = re.compile(
    r"(?<![\w-])(?:"
    r"niet(?! alleen)(?! meer dan)(?!-)|geen|nooit|nergens|niets|niks|niemand|nauwelijks|amper|weinig|zonder|"
    r"ontbreekt|ontbreken|"
    # called off, died out: what the clause speaks of is not (any more) the case
    r"afgeblazen|afgelast|geschrapt|stopgezet|doodgebloed|"
    r"cancel+ed|called off|scrapped|shelved|died out|petered out|fizzled out|"
    r"not(?! only)(?! just)|no|none|never|nothing(?! but)|nobody|no-one|hardly|barely|rarely|seldom|little|"
    r"without|lacks?|lacking|missing|neither|nor|rather than|instead of|in plaats van|"
    r"\w+n't|cannot"
    r")(?![\w-])",
    re.IGNORECASE,
)
# Denials that say "not yet": the situation may be on its way, but it is not the case now.
_NOT_YET = re.compile(
    r"(?<![\w-])(?:nog (?:niet|geen|nooit|niets|nauwelijks)|not yet|not \w+ yet|n't \w+ yet|n't yet|"
    r"nog \w+ (?:niet|geen)|yet to)(?![\w-])",
    re.IGNORECASE,
)
# Where a new clause starts inside a sentence: contrast words, and "en"/"and" + a new subject.
_CONTRAST = re.compile(
    # "nog maar één bestuur", "er is maar één": "maar" after "nog" or "er" means "only"
    r"(?:,\s*|(?<!\bnog)(?<!\ber)(?<!\beven)\s+)(?=(?:maar|echter|behalve|even though|even if|though|but|however|although|except|"
    r"whereas|while|terwijl|hoewel|al is|al zijn|rather than|instead of|in plaats van)\b"
    # "maar een keer", "maar twee", "maar één": "maar" meaning "only" does not start a clause.
    r"(?!\s+(?:(?:een|één)\s+(?:keer|paar|enkele|klein|kleine|beetje|half|deel)|één|twee|drie|vier|weinig|enkele|"
    r"zelden)\b))",
    re.IGNORECASE,
)
_NEW_SUBJECT = re.compile(
    r"(?:,\s*|\s+)(?=(?:en|and|or|want|dus|so)\s+(?:we|wij|ze|zij|hij|er|iedereen|niemand|ieder|elke|iedere|"
    r"each|every|everyone|everybody|they|there|it|nobody|no one)\b)|,\s*(?=(?:en|and)\s)"
    # a comma before a new subject or an emphatic "wel" / "toch" starts a clause too ("nog nauwelijks contact,
    # we hebben wel een smoelenboek"); like the rest, only where the polarity changes (`_pieces`)
    r"|,\s*(?=(?:we|wij|ze|zij|er|wel|toch|we're|we've|we'd|they|there|there's|but we)\s)",
    re.IGNORECASE,
)
# A concession: "…, al hangt er sinds kort wel een smoelenboek" / "ook al delen we een gebouw" / "even though …".
# Dutch "al" is "although" when a finite verb follows it at once, before the subject ("al hangt er", "al hebben
# we", "al is het"); "we werken al jaren samen" keeps its "al" (already). After a comma only, or at the start of
# the sentence, where the concession runs up to the first comma ("Al zijn de visies nog apart, we werken wel …").
_SUBJECT = r"(?:er|we|wij|ze|zij|het|hij|ik|men|jullie|je|u|de|die|dit|dat|onze|ons|hun|een|elke|iedere|alle)"
_CONCESSION = re.compile(rf",\s*(?=(?:ook\s+al|al)\s+[^\W\d_]+\s+{_SUBJECT}\b|(?:ofschoon|alhoewel)\b)", re.IGNORECASE)
_LEADING_CONCESSION = re.compile(
    rf"^(?:(?:ook\s+al|al)\s+[^\W\d_]+\s+{_SUBJECT}\b|(?:hoewel|alhoewel|ofschoon|although|though|even though|even if)\b)"
    r"[^,]*,\s*", re.IGNORECASE)
_AND = re.compile(r",?\s+(?:en|and)\s+(?=\S+\s+\S+)", re.IGNORECASE)
_PIECE = re.compile(r"\s*[;:]\s+|\s+[-–]\s+|,\s*(?=(?:er|there)\s+(?:is|zijn|are|was|were)\b)", re.IGNORECASE)
# A clause that adds a circumstance with its own polarity ("…, zonder overdracht", "…, waarbij resultaten niet …").
_CIRCUMSTANCE = re.compile(r",\s*(?=(?:zonder|waarbij|without|whereby|with no)\b)", re.IGNORECASE)
_CONNECTIVE = re.compile(
    r"^(?:(?:maar|echter|en|dus|want|toch|verder|waarbij|hoewel|alhoewel|ofschoon|ook al|though|but|however|although|"
    r"and|so|yet|even|whereas|while|"
    r"also|ook|eerlijk gezegd|honestly|overigens)\b[\s,]*)+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# A clause that asks where one stands, not what the situation is ("Welk niveau?", "Where are we on …?").
_ASKING = re.compile(
    r"^(?:welk|waar|hoe|wat|op welk|in welk|which|where|what|how|at what|on what|is dit|is dat|is this|does this)\b",
    re.IGNORECASE,
)


# "We still each have our own website", "for everything else we each run our own programmes": each partner's own
# said as what is *left* (still, for the rest) presupposes that other things have become joint. Such a clause says
# the joint levels are not reached for that part; it is no evidence that nothing is shared (the lowest level).
_RESIDUAL = re.compile(r"\b(?:nog steeds|nog altijd|still|voor de rest|voor het overige|voor al het andere|"
                       r"for the rest|for everything else|for all else|apart from that|other than that|otherwise)\b",
                       re.IGNORECASE)


# Where a placement asks where the partners stand *now*, a clause about a state that is over, or about a plan that is
# not real yet, says nothing of the present: "Vroeger had onze bestuurder nog wel eens contact …", "Vijf jaar geleden
# had de opvang nog een eigen visie", "Daarvóór hadden we alleen een intentieverklaring", "didn't know each other's
# names until last autumn"; "Er staat een pilot gepland", "We pencilled in a joint summer week for next year", "that's a
# wish for 2026". A past *act* with a lasting result stays ("two years ago our board signed a covenant", "last year we
# wrote one shared vision"): only a past state (was / had / used to …) after a time that is over, or a word that says
# the state is over (vroeger, formerly, until …). A plan that is denied ("de pilot is nog niet begonnen") still says
# what is not the case now, so only an affirmed plan is set aside.
_PAST_STATE = re.compile(
    r"\b(?:vroeger|destijds|indertijd|voorheen|voordien|in het verleden|daarvóór|vóór die tijd|toen nog|"
    r"formerly|in the past|back then|at the time|"
    r"(?<!getting )(?<!get )(?<!got )(?<!are )(?<!is )used to|before that|previously|until (?:last|recently|a few|this|"
    r"that|\w+ (?:years?|months?|weeks?) ago)|tot (?:vorig|vorige|kort geleden|voor kort|dit jaar|afgelopen)|"
    r"(?:\w+ )?(?:jaar|jaren|maanden|weken) geleden (?:was|waren|had|hadden|werkte|werkten|kende|kenden|deed|deden|zat|"
    r"zaten)|(?:years?|months?|weeks?) ago,? (?:\w+ ){0,3}?(?:was|were|had|used|knew|worked|did)"
    r")\b", re.IGNORECASE)
_PLAN = re.compile(
    r"\b(?:(?:staat|staan)\b[^,.;]*?\b(?:gepland|ingepland)|staat (?:\w+ )?op de planning|het plan (?:is )?om|plan om|plannen om|van plan|"
    r"volgend (?:jaar|schooljaar)|volgende (?:maand|zomer|periode)|komend (?:jaar|schooljaar)|binnenkort|"
    r"(?:is|zijn|een|onze?) wens|"
    r"(?:is|are) (?:planned|scheduled) for|plan(?:s)? to|pencil(?:led|ed)? in|(?:for|from) next (?:year|school year)|a wish|our wish|"
    r"(?:we|they) (?:hope|intend|aim) to|(?:we|they)'ll|(?:we|they|it) will|is going to|are going to|"
    r"gaan (?:we|ze) (?:\w+ )?(?:starten|beginnen|invoeren|opzetten)|zullen (?:we|ze)"
    r")\b", re.IGNORECASE)
# Talked about, considered or proposed is not done ("Samengaan tot één organisatie is wel besproken", "a merger was
# considered", "A joint newsletter was suggested once"),
# and what the director assumes of a partner is not what they know ("De peuteropvang heeft vast ook zoiets", "I assume
# the BSO does crafts"): neither says where the partners stand.
_CONSIDERED = re.compile(
    r"\b(?:(?:is|was|werd|zijn|waren|werden|has been|have been|had been|were)\s+(?:\w+\s+){0,2}?"
    r"(?:besproken|overwogen|geopperd|onderzocht|voorgesteld|discussed|considered|talked about|raised|floated|explored|"
    r"suggested|proposed)|"
    r"(?:hebben|heeft|have|has|had)\s+(?:\w+\s+){0,3}?(?:overwogen|geopperd|voorgesteld|considered|toyed with|"
    r"suggested|proposed)|"
    # a proposal is not what was agreed ("Last autumn their director proposed that we become preferred partners")
    r"(?:stelde|stelden)\s+(?:\w+\s+){0,6}?voor\b|\b(?:proposed|suggested)\s+(?:that|to|a|an|we|our)|"
    r"over \w+(?:\s+\w+){0,4}?\s+is (?:wel )?(?:gesproken|gepraat)|"
    r"vast ook|waarschijnlijk|vermoedelijk|ik neem aan|ik vermoed|denk ik|I assume|I suppose|I guess|presumably|"
    r"probably|I imagine)\b", re.IGNORECASE)


def not_now(text: str, denied: bool) -> bool:
    """The clause is about a state that is over, or (affirmed) about a plan that is not real yet, something only talked
    about or considered, or something the director assumes: no evidence of where the partners stand now."""
    return bool(_PAST_STATE.search(text)) or (not denied and bool(_PLAN.search(text) or _CONSIDERED.search(text)))


@dataclass(frozen=True)
class Clause:
    """One clause of a description: its text, whether it denies, and what it says without the denial."""

    text: str
    denied: bool
    not_yet: bool = False
    question: bool = False
    restated: str = ""  # what a clause that counts says in the descriptors' terms (`_counted`), denied
    not_now: bool = False  # about a state that is over or a plan not yet real (`not_now`)

    @property
    def core(self) -> str:
        """The clause without its denial words: what it says is (denied) or is not (affirmed) the case."""
        if self.restated:
            return self.restated
        if not self.denied:
            return self.text
        text = re.sub(r"\b(?:nog|yet|still|at all|helemaal|enkele|enkel|any|anything|anyone)\b", " ",
                      _DENIAL.sub(" ", self.text), flags=re.IGNORECASE)
        return re.sub(r"\s+", " ", text).strip(" ,.")

    @property
    def content(self) -> str:
        """The core without a leading connective ("maar", "and", "waarbij" …): what is compared."""
        return _CONNECTIVE.sub("", self.core).strip(" ,.") or self.core

    @property
    def residual(self) -> bool:
        """An affirmed clause that stresses each partner's own as what is left ("we still each have our own …")."""
        return not self.denied and self.scope == -1 and bool(_RESIDUAL.search(self.text))

    @property
    def polarity(self) -> int:
        return -1 if self.denied else 1

    @property
    def scope(self) -> int:
        """+1 when the clause speaks of something joint, -1 of each partner's own, 0 neither (see `scope`)."""
        return scope(self.content)


# Two denials that cancel: "geen peuter gaat naar groep 1 zonder een overdrachtsgesprek", "never without a
# handover" say that it always happens. A denial of everyone or every time followed by "zonder"/"without".
_DOUBLE_DENIAL = re.compile(r"(?<![\w-])(?:geen|nooit|niemand|niets|no|never|nobody|nothing|not a|not one)(?![\w-])"
                            r"[^,;]*?(?<![\w-])(?:zonder|without)(?![\w-])", re.IGNORECASE)


# A denial that is the second half of an alternative ("we evalueren wat goed ging en wat niet", "whether it works or
# not", "of het lukt of niet"): it names the other outcome, it denies nothing the clause says. Taken out before the
# clause's polarity is read.
_ELLIPTICAL_DENIAL = re.compile(
    r"(?:,\s*|\s+)(?:en|of|and|or)\s+(?:(?:wat|wie|waar|hoe|what|who|where|how|which)\s+(?:\w+\s+)?)?"
    r"(?:niet|not|geen|didn't|doesn't|don't|did not|does not|do not|wasn't|weren't|isn't|aren't)"
    r"(?=\s*(?:[,.;:!?)]|$))|\bwhether or not\b|\bal dan niet\b|"
    # "we organiseren ons rond de lijnen en niet andersom": the other way round is what is denied, not the clause
    r"(?:,\s*|\s+)(?:en|and)\s+(?:niet|not)\s+(?:andersom|omgekeerd|the other way (?:a)?round|vice versa)", re.IGNORECASE)
# Two denials that cancel in one statement: "er is niemand in het team die er niet achter staat" (everyone is for it),
# "het is niet zo dat we het niet willen", "there's nobody who doesn't …": the outer denial denies the inner one.
_CANCELLING = re.compile(
    r"(?<![\w-])(?:niemand|nobody|no one|no-one|geen \w+)\s+(?:\w+\s+){0,4}?(?:die|dat|who|that|which)\s+(?:\w+\s+){0,3}?"
    r"(?:niet|not|\w+n't)(?![\w-])|"
    r"(?<![\w-])(?:het is niet zo dat|niet dat|it(?: i|')s not that|not that)\s+(?:\w+\s+){0,4}?(?:niet|not|geen|\w+n't)(?![\w-])",
    re.IGNORECASE)


# A capitalised word after the first is part of a name ("Little Oaks Childcare", "Stichting Nooit Gedacht"), not a
# denial: names are taken out before the polarity is read.
_NAMES = re.compile(r"(?<=[\w,'’)] )(?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*)*")


def without_alternatives(text: str) -> str:
    """The text without an elliptical "… en wat niet" / "or not": what is left is what the clause says."""
    return _ELLIPTICAL_DENIAL.sub(" ", text)


def denies(text: str) -> bool:
    """Whether the text denies what it says: a denial word, unless its only denials cancel ("geen … zonder",
    "niemand … die niet …", "het is niet zo dat … niet") or only name the other outcome ("wat goed ging en wat niet")."""
    text = _NAMES.sub(" ", without_alternatives(text))
    found = _DENIAL.findall(text)
    if not found:
        return False
    for pattern in (_DOUBLE_DENIAL, _CANCELLING):
        double = pattern.search(text)
        if double and len(_DENIAL.findall(double.group(0))) == 2 and \
                not _DENIAL.search(text[:double.start()] + text[double.end():]):
            return False
    return True


def says_not_yet(text: str) -> bool:
    """The text denies with "not yet" ("nog niet", "not yet", "aren't convinced yet"): not the case now, maybe later."""
    return bool(_NOT_YET.search(text))


# The instrument's levels move from each partner's own (eigen visie, eigen aanbod, aparte organisaties) to
# what the partners share (gezamenlijke visie, één voorziening, afgestemd). A clause that stresses one side
# contradicts a descriptor that stresses the other, even where the topic is the same ("eigen leiding" against
# "gemeenschappelijke leiding").
_JOINT = re.compile(
    r"\b(?:gezamenlijk\w*|gemeenschappelijk\w*|samen|gedeeld\w*|delen|deelt|integra\w*|eenduidig\w*|"
    r"één(?! keer| maal| of twee| enkele)|"
    r"afgestemd|afstemming|afstemmen|stem(?:men|t)\b(?:\s+\w+){0,6}?\s+af|"  # "stemmen de jaarplanning af"
    r"joint(?:ly)?|shared?|sharing|together|common|single|one(?! time| or two| of)|combined|unified|united|"
    r"coordinat\w*|aligned)\b",
    re.IGNORECASE,
)
_SEPARATE = re.compile(
    r"\b(?:eigen|iedere? (?:partner|partij)\w*|elke (?:partner|partij)\w*|each (?:partner|party|side)|"
    r"apart\w*|afzonderlijk\w*|gescheiden|los van elkaar|ieder voor zich|langs elkaar heen|"
    # what keeps the partners apart: "no walls between the disciplines any more", "geen schotten meer"
    r"muren|walls|schotten|barriers|drempels|silo'?s|two separate worlds|twee werelden|two worlds|"
    r"own|separate\w*|independent\w*|each on its own|by itself|themselves|"
    r"(?:two|twee) (?:separate|different|aparte|verschillende|organisations?|organisaties|boards|besturen|instellingen))\b",
    re.IGNORECASE,
)


# "Ieder kind heeft een eigen mentor", "ouders hebben een eigen ruimte": what a child or a parent has of its own
# says nothing about the partners keeping their own; "eigen" is the partners' only when they (or nobody named) own it.
_OWNED_BY_CHILD_OR_PARENT = re.compile(
    r"\b(?:kind|kinderen|child|children|ouders|parents|leerling\w*|pupils?)\b[^,;]*?\b(?:eigen|own)\b", re.IGNORECASE)


def scope(text: str) -> int:
    """+1 joint, -1 each partner's own, 0 when the text says neither or both."""
    text = _OWNED_BY_CHILD_OR_PARENT.sub(" ", text)
    joint, separate = bool(_JOINT.search(text)), bool(_SEPARATE.search(text))
    return 1 if joint and not separate else -1 if separate and not joint else 0


# Phrases that announce what a sentence is about ("op bestuurlijk vlak", "when it comes to parents").
_TOPIC = re.compile(
    r"\bop (?:het )?([\w-]+(?: [\w-]+)?) (?:vlak|gebied|terrein)\b|\bop het gebied van ((?:[\w-]+ ?){1,4})|"
    r"\b(?:wat betreft|qua|met betrekking tot|als het gaat om|ten aanzien van|(?:bij|over|op) het thema|"
    r"regarding|in terms of|when it comes to|with respect to|as for|as regards|the theme (?:of|about|on))"
    r"\s+((?:[\w-]+ ?){1,5})",
    re.IGNORECASE,
)


_VIEWPOINT = re.compile(r"(?:^|(?<=[.!?]\s))([^\W\d_]+(?:lijk|isch|ally))\b(?=,?\s)", re.IGNORECASE)


# A label before a colon that opens the text ("Visie: bij ons …", "Quality: we …"): the topic it announces.
_LEADING_LABEL = re.compile(r"^\s*([^\W\d_][\w'’ -]{0,40}?)\s*:\s")
LABEL_WORDS = 3  # at most this many words, and no verb of its own (`is_clause`), for a lead to be a label


def topic_phrases(text: str) -> list[str]:
    """What the text says it is about, when it says so explicitly: an announced topic ("op bestuurlijk vlak", "when
    it comes to parents") or a short label before a colon at its start ("Visie: …")."""
    found = [next(g for g in m.groups() if g) for m in _TOPIC.finditer(text)]
    # a viewpoint adverb that opens a sentence ("Bestuurlijk is er veel gebeurd", "Bestuurlijk stelt het weinig voor",
    # "Organisationally, we …"): the sentence is about that side of things
    found += _VIEWPOINT.findall(text or "")
    label = _LEADING_LABEL.match(text or "")
    if label and len(_WORD.findall(label.group(1))) <= LABEL_WORDS and not is_clause(label.group(1)):
        found.append(label.group(1))
    return found


def _pieces(sentence: str) -> list[str]:
    parts = []
    pieces = []
    for piece in _PIECE.split(sentence):
        lead = _LEADING_CONCESSION.match(piece)
        if lead and lead.end() < len(piece):
            pieces += [piece[:lead.end()].rstrip(" ,"), piece[lead.end():]]
        else:
            pieces.append(piece)
    for piece in pieces:
        for part in (p for c in _CONTRAST.split(piece) for p in _CONCESSION.split(c)):
            # A coordination only starts a new clause where the polarity may change: a denial on one side.
            sub = [x for y in _NEW_SUBJECT.split(part) for x in _CIRCUMSTANCE.split(y)]
            if len(sub) > 1 and any(denies(s) for s in sub) and not all(denies(s) for s in sub):
                parts.extend(sub)
                continue
            # Two denials joined by "en"/"and" are two clauses, each about what it denies.
            halves = _AND.split(part)
            if len(halves) > 1 and all(denies(h) for h in halves):
                parts.extend(halves)
                continue
            # A clause of its own joined by "en"/"and" with another polarity ("… geven er elk op hun eigen manier
            # invulling aan en op de werkvloer leeft die nog niet"): two clauses, so the denial stays with its own.
            joined = _join_short(halves, _AND.findall(part))
            if len(joined) > 1 and len({denies(h) for h in joined}) > 1:
                parts.extend(joined)
            else:
                parts.append(part)
    return parts


# What makes a stretch of words a clause of its own rather than part of a list ("visie en aanpak", "de medewerkers
# van opvang en school"): a subject pronoun, "er"/"there", or an auxiliary or copula.
_CLAUSE_MARK = re.compile(
    r"\b(?:er|we|wij|ze|zij|hij|ik|het|die|dat|hun|men|is|zijn|was|waren|heeft|hebben|had|wordt|worden|kan|kunnen|"
    r"moet|moeten|gaat|gaan|there|they|it|he|she|is|are|was|were|has|have|had|does|do|did|can|will)\b", re.IGNORECASE)


def is_clause(text: str) -> bool:
    """Whether the words carry a subject, "er"/"there", an auxiliary or a copula: a statement, not a bare label."""
    return bool(_CLAUSE_MARK.search(text))


def _join_short(halves: list[str], joints: list[str]) -> list[str]:
    """Halves of a coordination, each that is not a clause of its own (`is_clause`) joined to the one after it
    (the last to the one before), with the conjunction put back."""
    groups: list[list[str]] = []  # each: text pieces and the joints between them
    for i, half in enumerate(halves):
        if groups and not is_clause("".join(groups[-1])):
            groups[-1] += [joints[i - 1], half]
        else:
            groups.append([half])
    if len(groups) > 1 and not is_clause("".join(groups[-1])):
        last = groups.pop()
        groups[-1] += [joints[len(halves) - 1 - (len(last) // 2) - 1]] + last
    return ["".join(g) for g in groups]


# A clause that refers back ("maar daar is nog niet voor gekozen", "but we haven't done it yet") and says little
# of its own denies what the clause before it names: the two are read as one denied clause.
_ANAPHOR = re.compile(r"\b(?:daar\w*|dat|dit|hier\w*|ervoor|erover|ermee|it|that|this|those|these|them)\b",
                      re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    "de het een en is zijn was waren wordt worden er nog ook wel maar al we wij ze zij ik je hij dat dit daar voor "
    "van aan op in met om te tot bij over uit door hebben heeft had the a an and is are was were be been has have "
    "had do does did done but we they it that this there of to for on in at with by from so also still really "
    "yet gedaan gebeurd happened".split())
REFERS_BACK_WORDS = 2  # at most this many words of its own for a clause that refers back to be read with the one before


def _refers_back(piece: str) -> bool:
    own = [w for w in _WORD.findall(_DENIAL.sub(" ", _ANAPHOR.sub(" ", piece)))
           if w.lower() not in _FUNCTION_WORDS and not w.lower().endswith("n't")]
    return bool(_ANAPHOR.search(piece)) and len(own) <= REFERS_BACK_WORDS


def _join_back_references(pieces: list[str]) -> list[str]:
    """A denied piece that refers back with little of its own, joined to the affirmed piece before it."""
    out: list[str] = []
    for piece in pieces:
        if out and denies(piece) and not denies(out[-1]) and _refers_back(piece):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


# "We're still two organisations", "er zijn twee besturen": counting two where the descriptors say one ("Er is één
# organisatie", "één website") denies the one, the way "een juridisch geheel zijn we nog niet" does. "Twee aparte
# organisaties" is not counting but Back to back's own wording ("als aparte organisaties"), read as it stands.
_TWO = re.compile(r"\b(two|twee)\s+((?:(?!separate|different|aparte|verschillende|losse)[^\W\d_]+\s+)?)"
                  r"(organi[sz]ations?|organisaties|"
                  r"besturen|boards|stichtingen|foundations|gebouwen|buildings|websites|nieuwsbrieven|newsletters)\b",
                  re.IGNORECASE)


def _counted(piece: str) -> str:
    """For an affirmed clause that counts two of what a descriptor has one of: the clause saying one (to be read
    as denied); otherwise ""."""
    found = _TWO.search(piece)
    if not found or denies(piece):
        return ""
    one = "één" if found.group(1).lower() == "twee" else "one"
    return f"{piece[:found.start()]}{one} {found.group(2)}{found.group(3)}{piece[found.end():]}"


def read_clauses(text: str) -> list[Clause]:
    """The clauses of a description, in order, each with its polarity (questions marked, not dropped)."""
    clauses = []
    for sentence in sentences(re.sub(r"\s+", " ", text or "").strip()):
        asking = sentence.rstrip().endswith("?")
        pieces = [p.strip(" ,.;:!?") for p in _pieces(sentence)]
        pieces = _join_back_references([p for p in pieces if len(_WORD.findall(p)) >= 2])
        for piece in pieces:
            question = asking and (bool(_ASKING.match(piece)) or len(pieces) == 1)
            restated = _counted(piece)
            denied = denies(piece) or bool(restated)
            clauses.append(Clause(piece, denied, bool(_NOT_YET.search(piece)), question, restated,
                                  not_now(piece, denied)))
    return clauses
