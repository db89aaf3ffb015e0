"""Publish version 1 of the consent text and of the confidentiality declaration.

The pages reached by email links need a current text to show; the administrator publishes later
versions in the admin site. Written in plain language, with an English version for
representatives who chose English.
"""

from django.db import migrations
from django.utils import timezone

CONSENT_NB = """\
# Hvorfor vi spør deg
NAV-kontoret vil gjerne ha deg med i gruppen av brukerrepresentanter. En brukerrepresentant sitter i intervjupanelet sammen med ansatte når NAV ansetter nye medarbeidere, og bidrar med sin erfaring som bruker av NAV.

# Hva vi lagrer om deg
- navnet ditt, e-postadressen og telefonnummeret ditt, slik at vi kan kontakte deg
- fødselsåret ditt, slik at panelene får med folk i ulike aldre
- brukerorganisasjonen du eventuelt kommer fra
- bakgrunnen og erfaringen du selv krysser av for på denne siden, for eksempel psykisk helse eller kronisk sykdom. Dette er særlig beskyttede opplysninger (særlige kategorier av personopplysninger), og vi lagrer dem bare fordi du sier ja
- hvilke intervjupaneler du er invitert til, hva du svarte, og om du deltok
- behov for tilrettelegging, hvis du selv skriver det inn

# Hvorfor vi lagrer det
Vi bruker opplysningene til å spørre deg om å sitte i intervjupaneler, til å sette sammen paneler med folk med ulik bakgrunn, og til å beregne honorar og reisegodtgjørelse. Antall personer med hver bakgrunn som har vært med på intervjuer, brukes i statistikk. Statistikken har ingen navn, og små tall vises ikke, slik at ingen kan kjennes igjen.

# Hvem som ser opplysningene
Lederne ved NAV-kontoret eller kontorene som har deg i sin gruppe, og HR-rådgivere i NAV som har ansvar for honorar og statistikk. Behov for tilrettelegging ser bare lederne ved kontoret. Ingen andre ser opplysningene, og vi gir dem ikke videre.

# Hvor lenge vi lagrer dem
Så lenge du er med i gruppen av brukerrepresentanter. Når du trekker samtykket eller ber oss slette deg, sletter vi navnet ditt, kontaktopplysningene, fødselsåret, organisasjonen og bakgrunnen din. Statistikken beholder bare tall uten navn.

# Du bestemmer
Det er frivillig å være med. Du kan når som helst trekke samtykket og be oss slette opplysningene om deg. Du trenger ikke si hvorfor, og det har ingen betydning for tjenestene du får fra NAV. Du har også rett til å se og rette det vi har lagret om deg. Spør kontaktpersonen ved NAV-kontoret.

Vi behandler opplysningene fordi du samtykker (personvernforordningen artikkel 6 nr. 1 bokstav a og artikkel 9 nr. 2 bokstav a).
"""

CONSENT_EN = """\
# Why we ask you
The NAV office would like you to join its group of user representatives. A user representative sits on the interview panel together with staff when NAV hires new employees, and brings their experience as a user of NAV.

# What we store about you
- your name, email address and phone number, so that we can contact you
- your year of birth, so that the panels include people of different ages
- the user organisation you may come from
- the backgrounds and experience you tick yourself on this page, for example mental health or chronic illness. These are specially protected data (special categories of personal data), and we store them only because you say yes
- which interview panels you are invited to, what you answered, and whether you took part
- support needs, if you write them yourself

# Why we store it
We use the information to ask you to sit on interview panels, to put together panels of people with different backgrounds, and to calculate honorarium and travel expenses. The number of people with each background who took part in interviews is used in statistics. The statistics contain no names, and small numbers are not shown, so that nobody can be recognised.

# Who sees the information
The leaders of the NAV office or offices that have you in their group, and HR advisers in NAV who are responsible for honoraria and statistics. Only the office's leaders see your support needs. Nobody else sees the information, and we do not pass it on.

# How long we keep it
As long as you are in the group of user representatives. When you withdraw your consent or ask us to delete you, we delete your name, contact details, year of birth, organisation and backgrounds. The statistics keep only numbers without names.

# You decide
Taking part is voluntary. You can withdraw your consent at any time and ask us to delete the information about you. You do not need to say why, and it makes no difference to the services you get from NAV. You also have the right to see and correct what we have stored about you. Ask the contact person at the NAV office.

We process the information because you consent (General Data Protection Regulation, article 6(1)(a) and article 9(2)(a)).
"""

CONFIDENTIALITY_NB = """\
Som brukerrepresentant i et intervjupanel får du vite ting om søkerne som ingen andre skal få vite. Derfor har du taushetsplikt, på samme måte som de ansatte i NAV.

Jeg lover at
- jeg ikke forteller noen hvem som har søkt på stillingen, eller hvem som ble intervjuet
- jeg ikke forteller noen hva søkerne har sagt i intervjuet, eller hva som står i søknadene deres
- jeg ikke forteller noen hva panelet mente om søkerne, eller hvem som fikk jobben
- jeg ikke tar med meg notater, papirer eller bilder fra intervjuene
- jeg sier fra til NAV-kontoret før intervjuet hvis jeg kjenner en av søkerne

Alt jeg får vite om søkerne, blir i rommet. Taushetsplikten gjelder også etter at intervjuene er ferdige, og etter at jeg har sluttet som brukerrepresentant.

Taushetsplikten følger av forvaltningsloven § 13 og NAV-loven § 7. Brudd på taushetsplikten kan straffes etter straffeloven § 209.

Er du usikker på hva du kan fortelle, så spør kontaktpersonen ved NAV-kontoret.
"""

CONFIDENTIALITY_EN = """\
As a user representative on an interview panel you learn things about the candidates that nobody else may know. That is why you have a duty of confidentiality, in the same way as NAV's employees.

I promise that
- I will not tell anyone who applied for the position, or who was interviewed
- I will not tell anyone what the candidates said in the interview, or what their applications say
- I will not tell anyone what the panel thought of the candidates, or who got the job
- I will not take notes, papers or pictures with me from the interviews
- I will tell the NAV office before the interview if I know one of the candidates

Everything I learn about the candidates stays in the room. The duty of confidentiality also applies after the interviews are over, and after I have stopped being a user representative.

The duty of confidentiality follows from the Public Administration Act section 13 and the NAV Act section 7. Breaking it can be punished under the Penal Code section 209.

If you are unsure what you may tell, ask the contact person at the NAV office.
"""


def publish(apps, schema_editor):
    now = timezone.now()
    for model, body, body_en in (
        ("ConsentText", CONSENT_NB, CONSENT_EN),
        ("ConfidentialityText", CONFIDENTIALITY_NB, CONFIDENTIALITY_EN),
    ):
        apps.get_model("panels", model).objects.get_or_create(
            version=1, defaults={"body": body, "body_en": body_en, "published_at": now}
        )


class Migration(migrations.Migration):
    dependencies = [("panels", "0003_consent_and_confidentiality")]

    # Going back leaves the texts: 0003's reversal drops their tables anyway.
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
