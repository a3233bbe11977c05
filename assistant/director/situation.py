"""Reading §8's criteria from a situation a director describes (Dutch or English).

"Ons team, de MR en ons bestuur staan achter de wens om IKC te worden; met kinderopvang Het Klavertje
hebben we afgesproken dat zij onze vaste partner wordt. We willen dit schooljaar nog beginnen."
says: want = yes, team / MR / board = yes, partner chosen, pace = direct; it says nothing about the
parents, so that stays unknown (and is asked), never a no.

The text is cut into short segments (at sentence ends, `;`, commas and "en/and/maar/but"). A segment
names groups (team, parents, MR, board) and may carry a stance: support (*staan achter, steunen,
enthousiast, ingestemd, on board, green light* …), hesitation or objection (*verdeeld, twijfel, zorgen,
hesitant, not convinced, tegen* …; a denied support word counts here too) or "not discussed yet"
(*nog niet besproken, not consulted, nog niets over gezegd*). Groups listed without a stance of their
own take the stance that follows them in the sentence ("Team, MR en ouders | zijn enthousiast").
Plain patterns, no models; `tests/test_category.py` and `evals/sets/category-dev.jsonl` check them.
"""

from __future__ import annotations

import re

from assistant.director.category import DIRECT, LATER, PARTLY, PENDING, CategoryAdvice, CategoryAnswers, decide
from assistant.director.intents import is_category_question
from assistant.director.reading import denies
from assistant.director.replies import MAYBE, NO, YES
from assistant.language import detect_language
from ikc.text import sentences

_I = re.IGNORECASE

_SEGMENT = re.compile(r"\s*[;:]\s*|,\s+|\s+(?:en|and|maar|but|terwijl|whereas|while)\s+(?!(?:met|with)\b)", _I)

GROUPS = {
    "team": re.compile(r"\b(?:team|teams|staff|teachers?|leerkrachten|medewerkers|personeel|collega'?s|colleagues)\b", _I),
    "ouders": re.compile(r"\b(?:ouders|parents?|parents'|ouderraad|ouder\w*peiling|oudertevredenheid\w*|families)\b", _I),
    "mr": re.compile(r"\b(?:mr|medezeggenschap\w*|participation council)\b", _I),
    "bestuur": re.compile(r"\b(?:bestuur|besturen|schoolbestuur|bestuurders?|board|boards|governing body)\b", _I),
}
_EVERYONE = re.compile(r"\b(?:iedereen|everyone|everybody|alle (?:partijen|betrokkenen|geledingen)|all parties|"
                       r"all of them)\b", _I)
_SUPPORT_WORD = re.compile(r"\b(?:draagvlak|support|steun)\b", _I)

_PENDING = re.compile(
    r"\b(?:besproken|discussed|consulted|geraadpleegd|gevraagd|asked|voorgelegd|gezegd|said)\b", _I)
_HESITANT = re.compile(
    r"\b(?:verdeeld|divided|twijfel\w*|hesitant|hesitat\w*|aarzel\w*|zorgen|worr(?:y|ied|ies)|concerns?|"
    r"bezwaar\w*|tegen|against|weerstand|resist\w*|sceptisch\w*|skeptic\w*|sceptic\w*|kritisch|critical|"
    r"reluctant|terughoudend|unconvinced|more information|meer informatie|not (?:yet )?convinced|"
    r"niet (?:\w+ )?overtuigd)\b", _I)
_SUPPORTS = re.compile(
    r"\b(?:achter|steun\w*|support\w*|enthousiast\w*|enthusias\w*|ingestemd|instemming|stemmen in|agree[sd]?|"
    r"in favou?r|on board|back(?:s|ed|ing)?|green light|groen licht|like[sd]? the idea|zien het zitten|"
    r"duidelijk ja|positief|positive|committed|willen door|wil door|respect\w*|eens|akkoord|voor)\b", _I)

_NO_WANT = re.compile(
    r"geen (?:ikc|integraal kindcentrum|kindcentrum)\b|niet (?:\w+ )?(?:een )?(?:ikc|kindcentrum) (?:te )?worden|"
    r"geen belangstelling|geen interesse|not interested|no interest|"
    r"(?:don't|do not|doesn't|does not|won't|will not) (?:want|wish|need|intend) to become|"
    r"decided (?:not|against)|(?:don't|do not) see the need|no need to become|not to become|"
    r"willen (?:het )?zo houden|blijven zoals|stay (?:as|the way) (?:we are|it is)|happy as (?:we|they) are|"
    r"tevreden (?:zoals|met hoe) het (?:nu )?(?:gaat|is)|(?:happy|content) with (?:how|the way) things are|"
    r"(?:liever|rather) (?:focus|richten|concentrate)|zien? (?:er )?niets in|ziet (?:er )?niets in|sees? nothing in|"
    r"(?:volledig|alleen|uitsluitend) op (?:het )?onderwijs|(?:entirely|solely|only) on (?:education|teaching)", _I)
_MAYBE_WANT = re.compile(
    r"nieuwsgierig|nadenken|denken (?:er )?(?:nog )?over|oriënt\w*|orient\w*|verken\w*|explor\w*|curious|"
    r"think (?:it )?over|thinking about|take (?:our|their) time|de tijd nemen|rustig|eventually|ooit|misschien|"
    r"maybe|not (?:yet )?sure (?:whether|if)|weten (?:nog )?niet of|twijfel\w*|in doubt|undecided", _I)
_YES_WANT = re.compile(
    r"\b(?:willen|wil|wilt|zouden|zou|want|wants|would like|'d like|wish|wens|besloten|decided|enthusias\w*|"
    r"enthousiast\w*)\b[^.;]*\b(?:ikc|ikc's|ikcs|kindcentrum|kindcentra)\b|\bikc (?:te )?worden|"
    r"\b(?:form|start|become|go on as|verder (?:gaan )?als|door als)\b[^.;]*\b(?:ikc|kindcentrum)\b|"
    r"\bwillen door\b|\b(?:willen|want to|would like to)\b[^.;]*\b(?:starten|beginnen|start|begin|get going)\b", _I)
_WE = re.compile(r"\b(?:we|wij|ik|i|we'd|we're|we've|we'll|ons team|our team|team)\b", _I)

_PARTNER = re.compile(r"\b(?:partner\w*|opvang\w*|kinderopvang\w*|peuteropvang\w*|childcare|child care|daycare|"
                      r"bso|kinderdagverblijf|provider)\b", _I)
_PARTNER_OPEN = re.compile(
    r"twijfel\w* tussen|keuze is nog niet|nog niet (?:gekozen|gemaakt)|(?:is|blijft) nog open|nog open|"
    r"still open|not (?:yet )?(?:chosen|decided|picked|settled)|which (?:childcare )?partner|"
    r"welke (?:opvang)?partner|in mind|op het oog|nog geen partner|no partner|geen partner|"
    r"(?:weet|weten) (?:nog )?niet of|(?:don't|do not) know (?:yet )?(?:whether|if)|between two|tussen twee", _I)
_PARTNER_SET = re.compile(
    r"vaste partner|partner (?:is|zijn) (?:al )?(?:bekend|duidelijk|gekozen)|"
    r"(?:gekozen|afgesproken|afspraken|agreed|chosen|picked|settled|selected|bekend|duidelijk|known|clear|signed|"
    r"getekend)|"
    r"samen (?:met [^.;]*)?besloten|together|werken al (?:jaren )?samen|already work|have worked|"
    r"al jaren samen|onze (?:kinderopvang|opvang)partner|our (?:childcare )?partner", _I)

_DIRECT = re.compile(
    r"\b(?:direct|per direct|meteen|zo snel mogelijk|zsm|dit schooljaar|nu (?:al )?(?:beginnen|starten)|"
    r"straight away|right away|immediately|as soon as possible|asap|get going|start now|begin now|this school year|"
    r"this year)\b", _I)
_LATER = re.compile(
    r"\b(?:rustig|de tijd nemen|take (?:our|their) time|eventually|over \w+ jaar|in \w+ years|later|"
    r"komende? jaar|next year|ooit|not yet ready|for now)\b", _I)
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


def _stance(segment: str) -> str | None:
    """PENDING, PARTLY (hesitant), NO, YES or None for a segment."""
    denied = denies(segment)
    if _PENDING.search(segment) and denied:
        return PENDING
    if _HESITANT.search(segment):
        return PARTLY
    if _NO_WANT.search(segment):
        return NO  # "Team en MR zijn tevreden zoals het nu gaat", "ons team wil geen IKC worden"
    if _SUPPORTS.search(segment) or _SUPPORT_WORD.search(segment):
        return NO if denied else YES
    if _YES_WANT.search(segment) and not denied:
        return YES  # "het bestuur wil dat al zijn scholen IKC worden"
    return None


def read_situation(text: str) -> CategoryAnswers:
    """What the text says about §8's criteria; what it does not say stays None."""
    answers = CategoryAnswers()
    evidence: dict[str, str] = {}
    wants: list[tuple[str, str]] = []
    for segments in _segments(text or ""):
        stances = [_stance(s) for s in segments]
        for i, segment in enumerate(segments):
            groups = [g for g, p in GROUPS.items() if p.search(segment)]
            if _EVERYONE.search(segment):
                groups = list(GROUPS)
            about_partner = bool(_PARTNER.search(segment)) and not groups
            # "the childcare organisation would like our location to become an IKC": the partner's wish (or
            # the board's), not the school's own.
            about_partner_org = about_partner and not _WE.search(segment)
            # "the board and the childcare organisation would like our location to become an IKC": the partner
            # is there (not "we want an IKC with a childcare partner", where we speak, not the partner)
            partner_wants = bool(_PARTNER.search(segment) and not _WE.search(segment) and _YES_WANT.search(segment)
                                 and not denies(segment))
            # The want: what the school (we, the team) wants, not the board alone.
            if _NO_WANT.search(segment):
                wants.append((NO, segment))
            elif _MAYBE_WANT.search(segment) and not about_partner and not _PARTNER_OPEN.search(segment) \
                    and not (groups and _stance(segment) == PARTLY):
                wants.append((MAYBE, segment))
            elif _YES_WANT.search(segment) and not denies(segment) and (
                    _WE.search(segment) or "team" in groups or not (groups or about_partner_org)):
                wants.append((YES, segment))
            # The partner.
            if _PARTNER.search(segment) or re.search(r"\bkeuze\b|\bchoice\b", segment, _I):
                if _PARTNER_OPEN.search(segment) or (denies(segment) and _PARTNER_SET.search(segment)):
                    answers.partners_clear = False
                    evidence["partner"] = segment
                elif (_PARTNER_SET.search(segment) or partner_wants) and answers.partners_clear is None:
                    # a partner that is set, or a childcare organisation that itself wants the IKC with us
                    answers.partners_clear = True
                    evidence["partner"] = segment
            # Support per group: its own stance, else the next stance in the sentence ("Team, MR | zijn blij").
            stance = stances[i]
            if stance is None and groups:
                stance = next((s for s in stances[i + 1:] if s is not None), None)
            if stance is None:
                continue
            if not groups and _SUPPORT_WORD.search(segment) and not _PARTNER.search(segment):
                groups = ["team", "ouders", "mr"]  # "er is draagvlak" / "geen draagvlak": on the location
            for group in groups:
                field = {"ouders": "parents", "bestuur": "board"}.get(group, group)
                current = getattr(answers, field)
                if current is None or _RANK[stance] > _RANK[current]:
                    setattr(answers, field, stance)
                    evidence[group] = segment
    if wants:
        kinds = [k for k, _ in wants]
        answers.want = NO if NO in kinds else MAYBE if MAYBE in kinds else YES
        evidence["wil"] = next(s for k, s in wants if k == answers.want)
    elif answers.team == YES:
        answers.want = YES  # the team wants it: the school does
        evidence["wil"] = evidence["team"]
    if _LATER.search(text or ""):
        answers.tempo = LATER
    elif _DIRECT.search(text or ""):
        answers.tempo = DIRECT
    if answers.tempo:
        evidence["tempo"] = (_LATER.search(text) or _DIRECT.search(text)).group(0)
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
