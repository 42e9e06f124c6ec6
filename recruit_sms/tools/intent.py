"""Whether an inbound message that is no keyword still asks to stop being texted
("please stop texting me", "retirez-moi de votre liste", "no me escriban más").

A revocation of consent may be made by any reasonable means, not only with STOP: such a
message is flagged for a recruiter (or, by a company's choice, opts out at once). The rules
are phrase patterns in English, French and Spanish, matched on the text lower-cased,
without accents and with typographic apostrophes made plain:

* a request to cease (stop, quit, arrêtez de, dejen de...) followed by a way of reaching
  the candidate (texting, messaging, contacting me...), unless negated just before it
  ("don't stop sending me jobs", "n'arrêtez pas de m'écrire", "no dejen de escribirme");
* a prohibition that carries its own negation ("don't text me", "ne m'écrivez plus", "no
  me escriban", "no more messages", "I don't want any more texts");
* a removal (remove me, take me off, unsubscribe me, désinscrivez-moi, dar de baja), unless
  negated ("please don't remove me");
* a plain "wrong number" or "leave me alone".

``wants_to_stop`` returns the phrase that matched, or None: the evidence shown to the
recruiter.
"""

import re
import unicodedata

# the ways of reaching someone, as verbs (English -ing and base forms) and as nouns
# the ways of reaching someone by text: a request about calls or emails alone ("don't call
# me, text me instead") is no request to stop texts
_EN_VERB_ING = r"(?:texting|messaging|contacting|sending|writing|bothering|spamming|sms(?:ing)?|getting|receiving)"
_EN_VERB = r"(?:text|message|contact|sms|msg|bother|spam|reach out to)"
_EN_NOUN = r"(?:texts?|messages?|sms|msgs?|notifications?|alerts?|job alerts?)"
# "don't contact me before 5pm" sets a time, it does not revoke
_NOT_A_TIME = r"(?!\s+(?:before|after|until|till|during|at|on|in the|between|tomorrow|today|this)\b)"
_FR_VERB_INF = (r"(?:m'?\s?(?:ecrire|envoyer|contacter|appeler|texter|relancer|harceler|deranger)"
                r"|me (?:contacter|texter|relancer|deranger)|(?:envoyer|ecrire) (?:des|de) (?:messages?|sms|textos?))")
_FR_NOUN = r"(?:messages?|sms|textos?|appels?|courriels?|mails?)"
_ES_VERB_INF = (r"(?:escribir(?:me|nos)?|enviar(?:me)?|mandar(?:me)?|contactar(?:me)?|llamar(?:me)?|"
                r"molestar(?:me)?|textear(?:me)?)")
_ES_NOUN = r"(?:mensajes?|sms|textos?|llamadas?|correos?|whatsapps?)"

_CEASE = [
    # English: stop texting me, quit messaging me, stop sending me messages, stop all texts
    rf"\b(?:stop|quit|cease)\s+(?:all\s+)?(?:the\s+)?{_EN_VERB_ING}\b"
    rf"(?:\s+(?:me|us|this (?:number|phone)|to (?:me|this number)|messages?|texts?|{_EN_NOUN}))",
    rf"\b(?:stop|quit|cease)\s+(?:(?:all|these|those|the|your|of|sending)\s+){{0,3}}{_EN_NOUN}\b",
    rf"\b(?:stop|quit)\s+{_EN_VERB_ING}\s+me\b",
    r"\bstop\s+contact\b",
    # French: arrêtez de m'écrire, cessez de me contacter, arrête les messages
    rf"\b(?:arrete[sz]?|arreter|cesse[sz]?|cesser)\s+(?:de|d')\s*{_FR_VERB_INF}",
    rf"\b(?:arrete[sz]?|cesse[sz]?)\s+(?:les|vos|tes|ces)\s+{_FR_NOUN}\b",
    # Spanish: dejen de escribirme, deja de mandarme mensajes, paren los mensajes
    rf"\b(?:deja|dejen|dejad|deje|dejar)\s+de\s+{_ES_VERB_INF}",
    rf"\b(?:paren|pare|detengan|deten)\s+(?:de\s+{_ES_VERB_INF}|(?:los|sus|tus|estos)\s+{_ES_NOUN})",
]
_PROHIBIT = [
    # English: don't text me, do not contact me again, never message me, no more texts
    rf"\b(?:do not|don't|dont|never|please don't|pls don't|no longer)\s+(?:ever\s+)?{_EN_VERB}\s+(?:me|this number|us)\b{_NOT_A_TIME}",
    rf"\bno more\s+(?:of (?:these|your)\s+)?{_EN_NOUN}\b",
    rf"\b(?:do not|don't|dont|no longer)\s+(?:want|wish)\s+(?:to (?:receive|get)\s+)?"
    rf"(?:any\s*(?:more|further)?\s+|more\s+|your\s+|these\s+)?{_EN_NOUN}\b",
    r"\b(?:do not|don't|dont|no longer)\s+(?:want|wish)\s+to\s+(?:be\s+)?(?:contacted|texted|messaged)\b",
    # French: ne m'écrivez plus, ne me contactez plus, plus de messages, je ne veux plus de sms
    r"\bne\s+(?:m'?\s?|me\s+)(?:ecri\w*|envoye\w*|contacte\w*|appele\w*|texte\w*|relance\w*|derange\w*)\s+plus\b",
    r"\bne\s+plus\s+(?:me|m')\s*(?:contacter|ecrire|envoyer|appeler|texter|relancer)\b",
    rf"\bne\s+veu[xt]\s+plus\s+(?:recevoir\s+)?(?:de\s+|d'|vos\s+|les\s+|ces\s+)?\s*{_FR_NOUN}\b",
    rf"^\s*plus de\s+{_FR_NOUN}\b",
    r"\bne\s+veu[xt]\s+plus\s+(?:etre\s+)?(?:contacte|sollicite)e?s?\b",
    # Spanish: no me escriban, no me manden más mensajes, no quiero más mensajes, no más mensajes
    # commands only: "no me escriban" asks, "no me mandaron la dirección" or "no me llamo María" do not
    r"\bno\s+(?:me|nos)\s+(?:escrib(?:an|as|a|ais)|mand(?:en|es|e)|envi(?:en|es|e)|contact(?:en|es|e)|"
    r"molest(?:en|es|e)|texte(?:en|es|e))\b",
    rf"\bno\s+quiero\s+(?:recibir\s+)?(?:mas\s+)?{_ES_NOUN}\b",
    rf"\bno\s+mas\s+{_ES_NOUN}\b",
    r"\bno\s+quiero\s+que\s+me\s+(?:escrib\w*|contact\w*|mand\w*|envi\w*)\b",
]
_REMOVE = [
    # English: remove me from your list, take me off, unsubscribe me, opt me out, delete my number
    r"\b(?:remove|delete|take|drop|erase)\s+(?:me|my (?:number|phone(?: number)?|contact|info(?:rmation)?|details))"
    r"\s+(?:off|from)\b(?!\s+(?:the|this|that|my|your)\s+(?:[\w-]+\s+){0,2}(?:interview|shift|schedule|calendar|meeting|call|rota|roster|slot))",
    r"\b(?:remove|delete|erase|lose)\s+(?:my\s+)?(?:number|phone number)\b",
    r"\bunsubscribe\s+(?:me|this number)\b",
    r"\b(?:opt|sign)\s+me\s+out\b",
    r"\bi(?:\s+(?:want|wish|would like)|'d like)\s+to\s+(?:unsubscribe|opt out)\b",
    r"\bput me on (?:your|the) do not (?:text|contact|call) list\b",
    # French: retirez-moi de votre liste, désinscrivez-moi, supprimez mon numéro, me désabonner
    r"\b(?:retire[rz]?|enleve[rz]?|supprime[rz]?|efface[rz]?|desinscri(?:re|vez|s))[\s-]*(?:moi|mon (?:numero|contact))\b",
    r"\b(?:me\s+)?desabonne[rz]?(?:-moi)?\b",
    r"\bme\s+(?:retirer|desinscrire)\b",
    # Spanish: bórrenme de la lista, sáquenme de la lista, darme de baja, eliminen mi número
    r"\b(?:borr|saqu|quit|elimin)(?:en|a|e|ad)me\s+de\b",
    r"\b(?:dar(?:me)?|den(?:me)?|deme)\s+de\s+baja\b",
    r"\b(?:borren|eliminen|borra|elimina)\s+mi\s+numero\b",
]
_ALONE = [
    # a whole message that is a short request to stop ("please stop", "stop it now", "basta ya")
    r"^(?:(?:please|pls|plz|ok|okay|svp|por favor)\s+)?(?:stop|stop it|stop this|unsubscribe|opt out|arrete[zs]?|"
    r"basta|paren|parad)(?:\s+(?:please|pls|now|already|thanks|thank you|svp|s'il vous plait|merci|por favor|ya|gracias))*[\s.!]*$",
    r"^\s*(?:(?:this is|you have|you've got|u have) (?:the\s+)?)?wrong number\b",
    r"\bleave me alone\b",
    r"\blaissez[\s-]moi tranquille\b",
    r"\bdejen?me en paz\b",
    r"^\s*(?:numero equivocado|mauvais numero)\b",
]

# a cease or removal is no request when negated just before it: "don't stop sending",
# "please never remove me", "n'arrêtez pas", "no dejen de"
_NEGATION = re.compile(
    r"(?:\b(?:do not|don't|dont|never|won't|wont|not|no|please don't|n'|ne)\b|\bn')\s*(?:\S+\s+){0,2}$")
# where a clause ends: punctuation, a "but", or a polite refusal ("no thanks, stop texting me")
_CLAUSE_END = re.compile(r"[.!?;,]\s|\bbut\b|\bpero\b|\bmais\b|\bno thanks?\b|\bnot interested\b|\bno gracias\b|"
                         r"\bnon merci\b")
_NEGATABLE = [re.compile(p) for p in _CEASE + _REMOVE]
_FIRM = [re.compile(p) for p in _PROHIBIT + _ALONE]


def plain(text):
    """``text`` lower-cased, without accents, with plain apostrophes and single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.lower().split())


def wants_to_stop(body):
    """The words of ``body`` that ask to stop being contacted, or None."""
    text = plain(body)
    if not text:
        return None
    for pattern in _FIRM:
        match = pattern.search(text)
        if match:
            return match.group(0).strip()
    for pattern in _NEGATABLE:
        for match in pattern.finditer(text):
            before = text[:match.start()]
            # the clause the request is in: a negation in an earlier sentence does not count
            clause = _CLAUSE_END.split(before)[-1]
            if not _NEGATION.search(clause):
                return match.group(0).strip()
    return None
