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
* a plain "wrong number" or "leave me alone";
* failing all of these, a second reading (``_second_reading``): a sentence that both asks
  to end something and names the texts or the contact, with nothing that makes it a
  near-miss.

``wants_to_stop`` returns the phrase that matched, or None: the evidence shown to the
recruiter.
"""

import re
import unicodedata

# the ways of reaching someone, as verbs (English -ing and base forms) and as nouns
# the ways of reaching someone by text: a request about calls or emails alone ("don't call
# me, text me instead") is no request to stop texts
_EN_VERB_ING = (r"(?:texting|txting|textin|texing|messaging|msging|contacting|sending|writing|bothering|bugging|spamming|"
                r"harr?ass?ing|sms(?:ing)?|getting|receiving|reaching out|hitting me up|hmu|blowing up my phone|"
                r"hitt?in'?g? (?:up )?my (?:phone|line|cell)|blowin'?g? up my (?:line|cell))")
_EN_VERB = r"(?:text|txt|message|msg|contact|sms|bother|spam|reach out to)"
_EN_NOUN = (r"(?:texts?|txts?|messages?|sms|msgs?|notifications?|alerts?|job alerts?|offers?|job offers?|"
            r"communications?|correspondence|outreach|solicitations?)")
# "don't contact me before 5pm" sets a time, it does not revoke
_NOT_A_TIME = r"(?!\s+(?:before|after|until|till|during|at|on|in the|between|tomorrow|today|this)\b)"
_FR_VERB_INF = (r"(?:m'?\s?(?:ecrire|envoyer|contacter|appeler|texter|relancer|harceler|deranger)"
                r"|me (?:contacter|texter|relancer|deranger|harceler|ecrire|envoyer)"
                r"|(?:envoyer|ecrire) (?:des|de) (?:messages?|sms|textos?))")
# texts, not calls or emails: "plus de mails, écrivez-moi ici" asks for texts
_FR_NOUN = r"(?:messages?|sms|textos?)"
# calls alone are no request to stop texts: "dejen de llamarme, escríbanme" asks for texts
_ES_VERB_INF = (r"(?:escribir(?:me|nos)?|enviar(?:me)?|mandar(?:me)?|contactar(?:me)?|"
                r"molestar(?:me)?|textear(?:me)?)")
_ES_NOUN = r"(?:mensajes?|sms|textos?|whatsapps?|ofertas?|comunicaciones|notificaciones|promociones)"
# "no me escriban antes de las 9", "los domingos", "en horario de trabajo" set a time
_ES_NOT_A_TIME = (r"(?!(?:\s+\S+){0,2}?\s+(?:antes|despues|hasta|durante|entre|en horario|en el trabajo|"
                  r"(?:los|el) (?:lunes|martes|miercoles|jueves|viernes|sabados?|domingos?|fines?)|"
                  r"por la (?:manana|tarde|noche)|de noche|en la noche|tan temprano|tan tarde)\b)")

_CEASE = [
    # English: stop texting me, quit messaging me, stop sending me messages, stop all texts
    rf"\b(?:stop|quit|halt|stp|sotp|cease(?: and desist)?)\s+(?:all\s+)?(?:the\s+)?{_EN_VERB_ING}\b"
    rf"(?:\s+(?:me|us|this (?:number|phone)|to (?:me|this number)|messages?|texts?|these|those|them|with|{_EN_NOUN})|"
    r"\s*[.!]*$)",
    rf"\b(?:stop|quit|halt|cease)\s+(?:(?:all|these|those|the|your|of|sending)\s+){{0,3}}{_EN_NOUN}\b",
    rf"\b(?:stop|quit)\s+{_EN_VERB_ING}\s+me\b",
    r"\bstop\s+contact\b",
    # French: arrêtez de m'écrire, cessez de me contacter, arrête les messages
    rf"\b(?:arrete[sz]?|arreter|arretiez|cesse[sz]?|cesser|cessiez)\s+(?:de|d')\s*{_FR_VERB_INF}",
    r"\b(?:cesse[rz]?|arrete[rz]?)\s+(?:tout|toute|tous)\s+(?:les\s+)?(?:envois?|contacts?|communications?|messages|sms)\b",
    rf"\b(?:arrete[sz]?|cesse[sz]?)\s+(?:les|vos|tes|ces)\s+{_FR_NOUN}\b",
    # Spanish: dejen de escribirme, deja de mandarme mensajes, paren los mensajes
    rf"\b(?:deja|dejen|dejad|deje|dejar)\s+de\s+{_ES_VERB_INF}",
    rf"\b(?:paren|pare|detengan|deten)\s+(?:ya\s+)?(?:de\s+{_ES_VERB_INF}|(?:con\s+)?(?:los|sus|tus|estos)\s+{_ES_NOUN})",
    rf"\b(?:ya\s+)?para\s+(?:ya\s+)?con\s+(?:los|sus|tus|estos)\s+{_ES_NOUN}\b",
    # enough of it: enough with the texts, basta de mensajes
    rf"\benough\s+(?:with|of)\s+(?:the\s+|these\s+|your\s+)?{_EN_NOUN}\b",
    rf"\bbasta\s+(?:ya\s+)?(?:de|con)\s+(?:los\s+|tus\s+|sus\s+)?{_ES_NOUN}\b",
    r"\b(?:cesen|cese|cesar|suspendan|suspenda|suspender|detengan)\s+(?:todos\s+)?(?:los|sus|el|todo)\s+"
    r"(?:envios?|mensajes|sms|textos|comunicaciones|contactos?)\b",
]
_PROHIBIT = [
    # English: don't text me, do not contact me again, never message me, no more texts
    rf"\b(?:do not|don't|dont|never|please don't|pls don't|no longer)\s+(?:ever\s+)?{_EN_VERB}\s+(?:me|this number|us)\b{_NOT_A_TIME}",
    rf"\bno more\s+(?:of (?:these|your)\s+)?(?:\w+\s+)?{_EN_NOUN}\b",
    rf"\b(?:you|that)\s+(?:\w+\s+)?(?:not|never|no longer)\s+{_EN_VERB}\w*\s+(?:me|this number)\b{_NOT_A_TIME}",
    rf"\b(?:to not|not to|never to)\s+(?:get|receive)\s+(?:any\s+(?:more\s+)?|these\s+|your\s+|more\s+)?{_EN_NOUN}\b"
    rf"{_NOT_A_TIME}",
    # "don't message me on WhatsApp anymore": a time of day does not end it, "anymore" does
    rf"\b(?:do not|don't|dont|never|please don't)\s+{_EN_VERB}\s+me\b.{{0,30}}\b(?:anymore|any more|again)\b",
    r"\b(?:do not|don't|dont|no longer)\s+(?:want|wish|need)\s+to\s+hear\s+(?:about|from)\b",
    # withdrawing consent: I withdraw my consent, je retire mon consentement, retiro mi consentimiento
    r"\b(?:withdraw|revoke|retract|withdrawing|revoking)\s+(?:my|all|any)\s+consent\b",
    rf"\b(?:do not|don't|dont|no longer)\s+consent\s+to\s+(?:receiv\w*|being (?:texted|contacted|messaged)|"
    rf"(?:any|these|your|further)\s+{_EN_NOUN}|{_EN_NOUN})",
    rf"\bobject\s+to\s+(?:receiving|being (?:texted|contacted|messaged)|(?:these|your)\s+{_EN_NOUN})",
    r"\bm'?\s?oppose\s+a\s+(?:la\s+reception|recevoir|etre\s+(?:contacte|sollicite)|(?:tout|l')\s*envoi|"
    r"(?:vos|ces|tout|tous)\s+(?:\w+\s+)?(?:messages?|sms|textos?|envois?))",
    r"\bme\s+opongo\s+a\s+(?:recibir|que\s+me|(?:sus|estos|los)\s+(?:mensajes|sms|textos))",
    r"\b(?:retire|retirer|revoque)\s+mon\s+consentement\b",
    r"\b(?:retiro|revoco|retirar|revocar)\s+mi\s+consentimiento\b",
    # opting out: a request to opt out, I want out of these texts
    # opting out of texts, not of "the health insurance" or "the emails"
    rf"\b(?:request|want|wish|like|wanna|need)\s+to\s+opt[\s-]?out\b"
    rf"(?!\s+of\s+(?!(?:these|your|the|all|this|ur|any)?\s*(?:{_EN_NOUN}|list|texting|everything|all|it)\b))",
    rf"\b(?:prefer|rather)\s+not\s+(?:to\s+)?(?:be\s+)?(?:contacted|texted|messaged)\b{_NOT_A_TIME}",
    # French without its "ne" ("me contactez plus") or with "pas" ("ne me recontactez pas")
    r"\bme\s+(?:re)?(?:contacte|ecri|envoye|texte|relance)\w*\s+plus\b(?!\s+(?:tard|tot|souvent|vite|facilement|de)\b)",
    r"\bne\s+(?:m'?\s?|me\s+)(?:re)?(?:contacte[rz]|ecrive[zs]|texte[rz]|relance[rz]|envoye[rz])\s+pas\b"
    r"(?!\s+(?:avant|apres|pendant|le|les|au|a|sur|entre|ce|en|de|d'|trop)\b)",
    rf"\bwant\s+out\s+of\s+(?:these|your|the|this)\s+(?:{_EN_NOUN}|list)\b",
    r"\b(?:delete|remove|erase)\s+(?:this|my)\s+number\b",
    r"\b(?:take|get|remove|delete)\s+(?:this|my)\s+(?:number|phone(?: number)?|contact\w*|info\w*|details)\s+"
    r"(?:out of|off)\s+(?:your|the|ur)\b",
    r"\b(?:do not|don't|dont|never|please don't)\s+reach\s+out\s+(?:to me\s+)?(?:again|anymore|any more)\b",
    r"\bmy\s+number\s+(?:removed|deleted|erased)\b",
    rf"\b(?:do not|don't|dont|no longer)\s+(?:want|wish)\s+(?:to (?:receive|get)\s+)?"
    rf"(?:any\s*(?:more|further)?\s+|more\s+|further\s+|your\s+|these\s+)?{_EN_NOUN}\b",
    r"\b(?:do not|don't|dont|no longer)\s+(?:want|wish)\s+to\s+(?:be\s+)?(?:contacted|texted|messaged)\b",
    # French: ne m'écrivez plus, ne me contactez plus, plus de messages, je ne veux plus de sms
    r"\bne\s+(?:m'?\s?|me\s+)(?:ecri\w*|envoi\w*|envoye\w*|contacte\w*|texte\w*|relance\w*|derange\w*)"
    r"\s+plus?\b(?!\s+(?:de\s+|d'\s*|d\s+)?(?:mails?|e-?mails?|courriels?|appels?)\b)",
    rf"\bplus\s+jamais\s+(?:de\s+|d')?\s*{_FR_NOUN}\b",
    r"(?:\bj'?e?\s*|\b)(?:ne\s+)?veux\s+plus\s+(?:recevoir|(?:de|d'|vos|tes|ces|les)\s*(?:\w+\s+)?(?:messages?|sms|textos?))\b",
    r"\bne\s+(?:souhaite|desire|veux)\s+plus\s+(?:etre\s+)?(?:contacte|sollicite|recevoir)\w*",
    r"\binutile\s+de\s+(?:m'|me\s+)\s*(?:ecrire|contacter|relancer|envoyer|recontacter)\b",
    r"\beffac(?:er|ez|iez)\s+mon\s+numero\b",
    r"\bne\s+plus\s+(?:me|m')\s*(?:contacter|recontacter|ecrire|envoyer|texter|relancer|solliciter|deranger|harceler)\b",
    rf"\bne\s+veu[xt]\s+plus\s+(?:recevoir\s+)?(?:de\s+|d'|vos\s+|les\s+|ces\s+)?\s*{_FR_NOUN}\b",
    rf"(?:^|[,.;:!]\s*)plus de\s+{_FR_NOUN}\b(?![^?]*\?)",  # "plus de messages ?" asks for news
    r"\bne\s+veu[xt]\s+plus\s+(?:etre\s+)?(?:contacte|sollicite)e?s?\b",
    # Spanish: no me escriban, no me manden más mensajes, no quiero más mensajes, no más mensajes
    # commands only: "no me escriban" asks, "no me mandaron la dirección" or "no me llamo María" do not
    r"\bno\s+(?:me|nos)\s+(?:escrib(?:an|as|a|ais)|mand(?:en|es|e)|envi(?:en|es|e)|contact(?:en|es|e)|"
    r"molest(?:en|es|e)|texte(?:en|es|e)|(?:escrib|envi|mand|contact|molest)(?:aran?|ieran?|asen?|iesen?))\b"
    + _ES_NOT_A_TIME,
    rf"\bno\s+(?:quiero|kiero)\s+(?:recibir\s+)?(?:mas\s+)?{_ES_NOUN}\b",
    r"\b(?:ya\s+)?no\s+(?:deseo|quiero)\s+recibir\b",
    r"\bno\s+(?:me\s+)?(?:escrib|envi|mand|contact)\w*\s+mas\b",
    r"\bno\s+(?:escribir|enviar|mandar|contactar)(?:me|nos)\b",
    r"\bno\s+quiero\s+que\s+me\s+vuelvan\s+a\b",
    r"\bno\s+(?:me\s+)?vuelvan?\s+a\s+(?:escribir|contactar|mandar|enviar|molestar|textear)",
    r"\bni\s+un\s+(?:solo\s+)?(?:mensaje|sms|texto|whatsapp)\s+mas\b",
    r"\bsupresion\s+de\s+mis?\s+(?:numero|datos)\b",
    rf"\bno\s+mas\s+{_ES_NOUN}\b",
    r"\bno\s+quiero\s+que\s+me\s+(?:escrib\w*|contact\w*|mand\w*|envi\w*|llegu\w*)\b",
]
_REMOVE = [
    # English: remove me from your list, take me off, unsubscribe me, opt me out, delete my number
    r"\b(?:remove|delete|take|drop|erase)\s+(?:me|my (?:number|phone(?: number)?|contact|info(?:rmation)?|details))"
    r"\s+(?:off|from)\b(?!(?:\s+[\w'-]+){0,3}?\s+(?:interviews?|shifts?|schedule|calendar|meeting|call|rota|roster|"
    r"slots?|roles?|positions?|vacancy|vacancies|team|voicemail|wait ?list|class|course|training|orientation|event|"
    r"session|webinar|group|e-?mails?|newsletters?|insurance|benefits?|plan)\b)",
    r"\b(?:remove|delete|erase|lose)\s+(?:my\s+)?(?:number|phone number)\b",
    r"\bun\s?sub\w*\s+(?:me|this number)\b",
    r"\b(?:opt|sign)\s+me\s+out\b",
    rf"\bi(?:\s+(?:want|wish|would like)|'d like)\s+to\s+(?:unsubscribe|opt out)\b"
    rf"(?!\s+(?:of|from)\s+(?!(?:these|your|the|all|this|ur|any)?\s*(?:{_EN_NOUN}|list|texting|everything|all|it)\b))",
    r"\bput me on (?:your|the) do not (?:text|contact|call) list\b",
    # French: retirez-moi de votre liste, désinscrivez-moi, supprimez mon numéro, me désabonner
    r"\b(?:retire[rz]?|enleve[rz]?|supprime[rz]?|efface[rz]?|desinscri(?:re|vez|s))[\s-]*(?:moi|mon (?:numero|contact))\b"
    r"(?!(?:\s+[\w'-]+){0,3}?\s+(?:creneaux?|entretiens?|rendez|planning|horaires?|postes?|newsletters?|mails?|e-?mails?|"
    r"courriels?|groupes?|formations?)\b)",
    r"\b(?:me\s+)?desabonne[rz]?(?:-moi)?\b",
    r"\bme\s+(?:retirer|desinscrire)\b",
    # Spanish: bórrenme de la lista, sáquenme de la lista, darme de baja, eliminen mi número
    r"\b(?:borr|saqu|quit|elimin)(?:en|a|e|ad)me\s+de\b"
    r"(?!(?:\s+\w+){0,2}?\s+(?:entrevistas?|turnos?|puestos?|horarios?|citas?|vacantes?)\b)",
    r"\b(?:dar(?:me)?|den(?:me)?|deme)\s+de\s+baja\b",
    r"\b(?:borren|eliminen|borra|elimina)\s+mi\s+numero\b(?!\s+(?:viejo|antiguo|anterior))",
]
_ALONE = [
    # a whole message that is a short request to stop ("please stop", "stop it now", "basta ya")
    r"^(?:(?:please|pls|plz|ok|okay|svp|por favor|ya)\s+)?(?:stop|stop it|stop this|unsubscribe|opt out|arrete[zs]?|"
    r"basta|paren|parad)(?:\s+(?:please|pls|now|already|thanks|thank you|svp|s'il vous plait|merci|por favor|ya|gracias))*[\s.!]*$",
    r"^\s*(?:(?:this is|you have|you've got|u have) (?:the\s+)?)?wrong number\b(?!\s+(?:on|in|for|of|listed|at|to)\b)",
    # a STOP closing a longer message: "this is the 5th text today, STOP"
    r"[,.;:!?-]\s*(?:please\s+)?stop(?:\s+(?:please|now|it|already))?[\s.!]*$",
    r"\bleave me alone\b",
    # a sentence of its own: "Not interested. Remove me.", "Please stop. I've asked three times"
    r"(?:^|[.!?,]\s+)(?:(?:please|pls|plz|just|you can|you may|u can|go ahead and)\s+)?(?:remove|delete|take)\s+me(?:\s+off)?"
    r"(?:\s+(?:please|pls|now|thanks))?\s*(?:[.!]+(?:\s|$)|$)",
    r"^(?:(?:please|pls|plz|just)\s+)?stop(?:\s+(?:it|this|now|already|please))?\s*\.+\s",  # "Stop! Great news!" is joy
    r"^(?:(?:please|pls|plz)\s+)?unsub(?:scribe)?(?:\s+(?:please|pls|me))?[\s.!]*$",
    # "how many times do I have to say stop", not "he told you to stop" (someone else)
    r"\b(?<!he )(?<!she )(?<!they )(?:say|said|told you|asked you)\s+(?:\w+\s+)?(?:to\s+)?stop\b",
    r"\blaissez[\s-]moi tranquille\b",
    r"\blache[sz]?[\s-]moi\b",
    r"\bdejen?me en paz\b",
    r"^\s*(?:numero equivocado|mauvais numero)\b(?!\s+(?:en|sur|dans|de|del)\b)",
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


# The second reading, for wordings no phrase above foresaw: a sentence that both asks to
# end something (stop, no more, never again, remove, unsubscribe...) and names the texts or
# the contact (texts, messages, WhatsApp, my number, your list...), with nothing that makes
# it a near-miss (stopping by, a time of day, a slot or an interview, "don't stop", a
# question about emails, still interested).
_END = re.compile(
    r"\b(?:stop+(?:ped)?|stpo|quit|cease|refrain|enough|no more|no longer|no further|further contact|no need|"
    r"(?:n'?t|not|no)\b.{0,40}\bany ?more|never again|not again|ever again|"
    r"(?:don'?t|do not|dont|please don'?t|never)\s+(?:\w+\s+)?(?:text|txt|message|msg|contact|send|reach|write|sms)\w*|"
    r"(?:don'?t|do not) need|unsub\w*|opt(?:[\s-]?out)|cancel\w*|remove\w*|delete\w*|erase|lose|"
    r"(?:take|get|want)\s+(?:me|my \w+)\s+off|off (?:of )?(?:this|your|the|ur) (?:\w+ )?list|withdraw|revoke|done with|"
    r"arret\w*|cess\w*|plus jamais|ne\s+\S+\s+plus|ne plus|retire\w*|supprim\w*|effac\w*|"
    r"desinscri\w*|desabonn\w*|laissez[\s-]moi|dej(?:a|en|ad|e|ar)\s+de|paren|pare|no mas|nunca mas|ya no|"
    r"no vuelvan|bor+(?:r|en)\w*|baja|elimin\w*|saqu\w*|quit(?:en|a)me|cancel(?:en|a))\b")
_CHANNEL = re.compile(
    r"\b(?:te?xt\w*|txt\w*|messag\w*|msgs?|sms|whatsapps?|contact\w*|(?:my|this|mi|este|mon|ce) (?:phone )?"
    r"(?:number|numero)|(?:\w+ )?(?:list|lista|liste)s?|reach\w*|hear from|write me|writing me|hit(?:ting)? me|"
    r"my phone|mensajes?|escrib\w*|mand\w*|envi\w*|ecri\w*|envoy\w*|relanc\w*|harcel\w*|textos?|sollicit\w*|"
    r"molest\w*|alerts?|subscription|spamm?\w*|datos|donnees|coordonnees|my (?:data|details|info\w*)|"
    r"anything else|me alone|moi tranquille)\b")
_NEAR_MISS = re.compile(
    r"\b(?:stop(?:ping)? (?:by|at|in|over)|bus stop|can'?t stop|stop playin\w*|stop ignoring|when i stop|"
    r"stop(?:s|ped)? (?:work|charg)\w*|(?:told|asked) (?:the|my|another|other|an?|that) (?:\S+ ){0,2}to stop|"
    r"update my number|new (?:number|one)|nuevo numero|nouveau numero|"
    r"just (?:text|message|msg|write)|(?:text|message|msg|write|contact|call) me (?:the|a|an|instead|back|"
    r"when|at|for|if|about|tomorrow|later|on|with)|quit(?:ting)? my|don'?t lose|no pierdan|ne perdez pas|"
    r"ecrivez[\s-]moi|envoyez[\s-]moi|escribanme|escribeme|mandenme|envienme|"
    r"(?:don'?t|do not|never|won'?t)(?:\s+\S+){0,2}\s+stop|keep (?:texting|the|me|sending|them)|them coming|no way|"
    r"(?:texting|messaging|writing|contacting) you|i'?ll stop|i will stop|(?:have|need|got) to stop|gotta stop|for now|"
    r"still (?:interested|looking|want)|sigo|toujours|instead|plutot|mejor|better|prefer\w*|rather|prefiero|"
    r"sin querer|by mistake|par erreur|reenvi\w*|resend|renvoy\w*|worry\w*|preocup\w*|inquiet\w*|voicemail|more (?:texts|messages) about|"
    r"before|after|until|during|pendant|avant|apres|antes|despues|weekends?|evenings?|soir|mornings?|"
    r"emails?|e-mails?|mails?|correos?|courriels?|references?|employer|boss|jefe|patron|old|ancien\w*|viej\w*|"
    r"interviews?|shifts?|slots?|creneau\w*|entrevistas?|entretiens?|turnos?|roles?|positions?|postes?|puestos?|"
    r"cita|rendez|appointment|reschedul\w*|reprogram\w*|decaler|duplicate|"
    r"resume|application|candidature|solicitud|add me|opt me in|no (?:dejen|deje) de|n'arrete\w* pas|"
    r"do not remove|don'?t remove|no me borren|ne (?:me )?(?:supprimez|retirez) pas)\b")


def _second_reading(text):
    if _NEAR_MISS.search(text):
        return None
    for clause in re.split(r"[.!?;]\s+|\n", text):
        end, channel = _END.search(clause), _CHANNEL.search(clause)
        if end and channel:
            start, stop = min(end.start(), channel.start()), max(end.end(), channel.end())
            return clause[start:stop].strip()
    return None


# a message that asks for texts, whatever else it says, asks no one to stop them ("unsubscribe
# me from the newsletter but keep the texts coming", "escríbanme aquí", "mais gardez les SMS")
_WANTS_TEXTS = re.compile(
    r"\bkeep (?:the |your )?(?:texts?|texting|messages?|messaging|sending|them coming)|\b(?:texts?|messages?) coming\b|"
    r"\bgarde[zr]? (?:les|vos) (?:sms|messages|textos)\b|\bcontinue[zr]? (?:a|de) m'?\s?(?:ecrire|envoyer|texter)\b|"
    r"\b(?:sigan|siga|sigue) (?:escribiendo|mandando|enviando)|"
    r"\b(?:escribanme|escribeme|ecrivez[\s-]moi|ecris[\s-]moi|text me|message me|write me|txt me)\s+"
    r"(?:aqui|aca|ici|here|at this|a este|sur ce|on this|instead|plutot|mejor)\b|"
    r"\bmejor (?:por|al|a|en) (?:whatsapp|celular|movil|mensaje|sms|texto)|\bbut i am\b|\bpero yo si\b|"
    r"\bmais moi (?:si|oui)\b")
# someone else was told to stop: "I told the other agency to stop contacting me"
_SOMEONE_ELSE = re.compile(r"\b(?:told|asked)\s+(?:the|my|another|other|an?|that)\s+(?:\S+\s+){0,2}to\s*$")


def wants_to_stop(body):
    """The words of ``body`` that ask to stop being contacted, or None."""
    text = plain(body)
    if not text or _WANTS_TEXTS.search(text):
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
            if not _NEGATION.search(clause) and not _SOMEONE_ELSE.search(before):
                return match.group(0).strip()
    return _second_reading(text)
