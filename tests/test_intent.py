"""The opt-out intent classifier on a labelled list: messages that ask to stop being
texted without being a keyword, and messages that only look like it."""

import pathlib

from recruit_sms_tools.intent import wants_to_stop

ASKS_TO_STOP = [
    # English
    "Please stop texting me",
    "stop texting me!!",
    "Can you stop messaging me please",
    "STOP SENDING ME MESSAGES",
    "Stop contacting me, I found a job",
    "Please quit texting this number",
    "Remove me from your list",
    "please remove me from this list thanks",
    "Take me off your list",
    "take my number off your list",
    "Unsubscribe me please",
    "unsubscribe me from these texts",
    "Opt me out",
    "Don't text me again",
    "Do not contact me",
    "do not message me ever again",
    "Never text this number again",
    "No more texts please",
    "no more messages",
    "I don't want any more messages",
    "I do not wish to receive texts",
    "I don't want to be contacted",
    "I no longer want these texts",
    "Delete my number",
    "Lose my number",
    "wrong number",
    "You have the wrong number",
    "Leave me alone",
    "Please stop",
    "stop it now",
    "I want to unsubscribe",
    "I would like to opt out",
    "I never applied, remove me from your list",
    "Who is this? Stop texting me.",
    "Stop all these texts",
    "I found a job, please stop the messages",
    "Stop spamming me",
    "Put me on your do not text list",
    "I'm not interested. Don’t text me",
    "Stop sending me job alerts",
    "no thanks stop texting me",
    "not interested remove me from your list",
    "I'd like to unsubscribe",
    # French
    "Arrêtez de m'écrire",
    "arrête de m’envoyer des messages",
    "Cessez de me contacter svp",
    "Ne m'écrivez plus",
    "ne me contactez plus merci",
    "Merci de ne plus me contacter",
    "Retirez-moi de votre liste",
    "Désinscrivez-moi",
    "je veux me désabonner",
    "Je ne veux plus recevoir de SMS",
    "Plus de messages svp",
    "Supprimez mon numéro",
    "Laissez-moi tranquille",
    "Arrêtez les messages",
    # Spanish
    "No me escriban más",
    "no me manden mensajes",
    "Dejen de escribirme por favor",
    "deja de mandarme mensajes",
    "No quiero más mensajes",
    "No más mensajes",
    "Bórrenme de la lista",
    "sáquenme de su lista",
    "Quiero darme de baja",
    "Eliminen mi número",
    "Déjenme en paz",
    "Paren los mensajes",
    "no quiero que me contacten",
    "Basta ya",
    # more wordings, written while widening the rules (after the labelled set's first figures)
    'Please take my name off your contact list',
    "I'm no longer looking for work, please don't text",
    'Lose this number',
    "I'd appreciate it if you stopped texting me",
    'Please refrain from texting me',
    'Stop with the messages',
    'I asked you to stop texting me',
    'How many times do I have to say stop',
    'Do not send any more texts to this number',
    "Don't send me anything else",
    "I'm not interested. Please don't reach out again",
    'You got the wrong person, stop texting',
    'unsub',
    'pls dont txt',
    'Cancel these texts',
    'Cancel my subscription to these alerts',
    'I want off this list',
    'get me off this list',
    'No further contact please',
    'Please cease contact',
    'Not interested, do not contact',
    "I'm all set, no need to text me anymore",
    "There's no need to contact me further",
    "I don't need these messages",
    'No me interesa, por favor no me contacten más',
    'Dejen de molestar',
    'Ya no me escriban por favor',
    'Quiero dejar de recibir mensajes',
    'Por favor sáquenme de sus contactos',
    'Ya basta',
    'No vuelvan a escribirme',
    'Eliminen mis datos',
    'Número equivocado, dejen de escribir',
    'Cancelen los mensajes',
    'Merci de ne plus me contacter',
    'Je ne veux plus recevoir vos messages',
    "Stop, ne m'écrivez plus",
    'Arrêtez de me spammer',
    'Je ne suis plus intéressé, merci de me retirer de la liste',
    "Ne plus m'envoyer de SMS svp",
    'Laissez-moi tranquille',
    "Veuillez cesser de m'envoyer des messages",
    'Je souhaite me désinscrire',
    'Supprimez mes coordonnées',
]

ONLY_LOOKS_LIKE_IT = [
    # English
    "Don't stop sending me jobs!",
    "Please don't stop texting me, I'm still looking",
    "Do not remove me from the list, I'm interested",
    "I don't want to stop getting messages",
    "Can you stop by the office tomorrow?",
    "The bus stop is right outside",
    "I had to stop working in March",
    "I'll stop by at 3",
    "Please remove me from the Friday interview, can we do Monday?",
    "Can you take me off the night shift schedule?",
    "Can you remove my old CV and use this one",
    "Yes please keep texting me",
    "Text me the address please",
    "Message me when you know more",
    "Send me more messages about the role",
    "I'll text you when I stop working today",
    "Is it non-stop work?",
    "Could you call me instead of texting?",
    "Sorry, wrong time, call me later",
    "No, I didn't get the email",
    "No more questions, thanks!",
    "I won't stop until I get this job haha",
    "Stop worrying, I'll be there",
    "Never mind, I found the address",
    "Don't worry about it",
    "I don't want to miss the interview",
    "Can you send me the job description?",
    "Remove the 2pm slot, 4pm works",
    "I unsubscribed from the newsletter but I still want job texts",
    "Where do I stop my car?",
    "I'm on a break, text me later",
    "Thanks, that stopped the issue",
    "YES",
    "Stop! I'm so excited!!",
    "I'd like to apply for another job",
    "Please don't unsubscribe me",
    "Leave the form at the front desk",
    "Wrong date on the invite, it should be Tuesday",
    "See you at the end of the week",
    "Don't call me, text me instead",
    "Please don't contact me before 5pm",
    "I don't want emails, text me",
    # French
    "N'arrêtez pas de m'écrire, je suis intéressé",
    "Pouvez-vous m'écrire demain ?",
    "Je m'arrête au bureau à 15h",
    "Ne vous inquiétez pas",
    "Envoyez-moi plus de messages sur le poste",
    "Plus de détails svp",
    # Spanish
    "No dejen de escribirme, sigo buscando",
    "Para mañana está bien",
    "Escríbanme mañana",
    "No puedo el lunes, mándame otro horario",
    "Gracias por los mensajes",
    "No tengo el correo",
    "No me mandaron la dirección",
    "No me contactaron después de la entrevista",
    "No me llamo María, soy Ana",
    "No me molesta que me escriban",
    "Uso otro número para los mensajes",
    # more near-misses, written while widening the rules
    'Can you stop by tomorrow instead?',
    'Please text me when you have an update',
    "Don't contact my old boss",
    'I stopped at the front desk, nobody there',
    'Can I cancel my interview and reschedule?',
    "Please cancel Friday's shift",
    "I no longer have the job, so I'm available",
    'No more questions from me, see you Monday',
    "Please don't call, texts are better",
    'I want to stop working nights',
    'Stop by at 3?',
    'Remove the reference to my old employer',
    'Could you delete the duplicate application?',
    'Ya no trabajo allí, estoy disponible',
    'Cancelen la cita del lunes',
    'No me llamen, mándenme mensaje',
    'Paso a dejar mis papeles',
    'Je ne peux plus venir jeudi, on peut décaler ?',
    "Arrêtez-vous à l'accueil",
    'Annulez le rendez-vous de demain svp',
    "N'arrêtez pas de m'envoyer des offres",
    'Plus de nouvelles pour le poste ?',
    "Merci de m'écrire plutôt que d'appeler",
    'Can you send me more messages about the warehouse jobs?',
    "I'd like more texts about weekend work",
    "Stop, I'll call you back",
    "Don't worry about texting me the address, I have it",
    "I can't stop thinking about this job!",
    'Quit texting? No way, keep them coming',
    'Can you take me off voicemail and text instead',
    'Can you send it again?',
    'Text me again tomorrow',
    'Please message me again when you have news',
    'I need to cancel, can you text me a new time?',
    'Remove the typo please, and message me when fixed',
    'No need to call, just message me',
    'Anything else you need from me? Text me',
    "Don't lose my number!",
    'Delete the old message I sent, wrong file',
    'Cancel my 3pm, text me to reschedule',
    "Plus de messages de votre part ? Je n'ai rien reçu",
    'Basta con enviar el CV?',
    "Ok, I'll stop texting you for now and wait for your call",
    "Sorry, I have to stop messaging, I'm at work. Talk later!",
]


def test_enough_examples_of_each_kind():
    assert len(ASKS_TO_STOP) >= 40
    assert len(ONLY_LOOKS_LIKE_IT) >= 40


def test_precision_and_recall_on_the_labelled_list(capsys):
    found = [text for text in ASKS_TO_STOP if wants_to_stop(text)]
    false_alarms = [text for text in ONLY_LOOKS_LIKE_IT if wants_to_stop(text)]
    missed = sorted(set(ASKS_TO_STOP) - set(found))
    true_positives = len(found)
    precision = true_positives / (true_positives + len(false_alarms))
    recall = true_positives / len(ASKS_TO_STOP)
    with capsys.disabled():
        print(f"\nopt-out intent: precision {precision:.3f}, recall {recall:.3f} "
              f"({len(ASKS_TO_STOP)} positive, {len(ONLY_LOOKS_LIKE_IT)} negative examples)")
    assert not false_alarms, f"flagged but not asking to stop: {false_alarms}"
    assert not missed, f"asking to stop but not flagged: {missed}"


def test_the_evidence_is_the_matching_phrase():
    assert wants_to_stop("Hi, I got a job elsewhere. Please remove me from your list. Thanks") == "remove me from"
    assert wants_to_stop("Hola, no me escriban más") == "no me escriban"


def test_empty_and_blank_messages_are_no_request():
    for body in (None, "", "   ", "\n"):
        assert wants_to_stop(body) is None


# Written after the rules, and never tuned against: how the rules do on wording they were
# not shaped by (the figures are printed; the bar is lower than on the list above).
HELD_OUT_ASKS = [
    "pls stop msging me",
    "Stop with the texts already",
    "I asked you to stop texting me",
    "Can you please not text me anymore",
    "Remove this number from your system",
    "Quit bothering me",
    "No more job alerts thanks",
    "I'm good, you can remove me",
    "Ne m'envoyez plus rien",
    "Stop, je ne suis plus intéressé, ne me contactez plus",
    "Por favor no me contacten más",
    "Ya no me manden nada",
    "unsubscribe",
    "Take me off this",
    "Don't ever message me again",
]
HELD_OUT_LOOKS_LIKE = [
    "Can we stop at the coffee shop before the interview?",
    "I stopped by yesterday but nobody was there",
    "Don't stop the process, I'm still interested",
    "Remove the old phone number from my profile, this is the new one",
    "I won't be able to text during work",
    "Don't call me before noon, text is fine",
    "No more questions from me",
    "Is there a stop near the warehouse?",
    "Can you message me the salary range?",
    "Ne vous arrêtez pas là, j'ai d'autres questions",
    "No me llamen, mejor escríbanme",
    "Paren el camión en la puerta 3",
    "Keep me on the list please",
    "Thanks for removing the wrong shift",
    "Please do not cancel my interview",
]


def test_held_out_examples(capsys):
    hits = sum(1 for text in HELD_OUT_ASKS if wants_to_stop(text))
    false_alarms = [text for text in HELD_OUT_LOOKS_LIKE if wants_to_stop(text)]
    precision = hits / (hits + len(false_alarms)) if hits + len(false_alarms) else 0.0
    recall = hits / len(HELD_OUT_ASKS)
    with capsys.disabled():
        print(f"\nopt-out intent, held out: precision {precision:.3f}, recall {recall:.3f} "
              f"({len(HELD_OUT_ASKS)} positive, {len(HELD_OUT_LOOKS_LIKE)} negative examples); "
              f"missed: {[t for t in HELD_OUT_ASKS if not wants_to_stop(t)]}; false alarms: {false_alarms}")
    assert precision >= 0.8
    assert recall >= 0.6


# The labelled set of candidate replies (English, Spanish, French; polite, formal, curt,
# slang, typos, and near-misses about stopping by, stopping a process, removing a slot),
# written apart from the rules, by writers who never saw them: two thirds to shape the
# rules on, one third held out, never read while shaping them. Only its figures are
# printed. The held-out third was drawn afresh when the earlier one, scored too often to
# stay unseen in effect, joined the shaping set.
DATA = pathlib.Path(__file__).parent / "data"


def labelled(name):
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        label, lang, text = line.split("\t")
        rows.append((label == "1", lang, text))
    return rows


def measured(capsys, name, label):
    """(precision, recall) of the rules on the labelled file ``name``, printed as ``label``."""
    rows = labelled(name)
    flagged = [(asks, bool(wants_to_stop(text))) for asks, _lang, text in rows]
    hits = sum(1 for asks, found in flagged if asks and found)
    false_alarms = sum(1 for asks, found in flagged if found and not asks)
    precision, recall = hits / (hits + false_alarms), hits / sum(1 for asks, _found in flagged if asks)
    with capsys.disabled():
        print(f"\nopt-out intent, {label}: precision {precision:.3f}, recall {recall:.3f} ({len(rows)} messages)")
    return precision, recall


def test_the_labelled_set_is_large_and_split_in_thirds():
    shaping, held_out = labelled("intent_shaping.tsv"), labelled("intent_held_out.tsv")
    assert len(shaping) + len(held_out) >= 300
    assert len(held_out) == (len(shaping) + len(held_out)) // 3
    assert {lang for _asks, lang, _text in shaping + held_out} == {"en", "es", "fr"}
    assert not {text for *_rest, text in shaping} & {text for *_rest, text in held_out}


def test_precision_and_recall_on_the_shaping_two_thirds(capsys):
    precision, recall = measured(capsys, "intent_shaping.tsv", "shaping set")
    assert precision >= 0.95
    assert recall >= 0.95


def test_precision_and_recall_on_the_held_out_third(capsys):
    """The figure that tells how the rules do on wording they were not shaped by: recall
    at least 0.9 at precision at least 0.95."""
    precision, recall = measured(capsys, "intent_held_out.tsv", "held-out third")
    assert precision >= 0.95
    assert recall >= 0.9
