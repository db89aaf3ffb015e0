"""Nynorsk as a third language (issue 19, point 2).

Each published text gets a nynorsk body (version 1, which 0004 published, gets the words below
when it still holds 0004's bokmål); each agreement records the language version read. Rows from
before this migration get the language their page most likely showed: English where the person
chose English and that version had an English body, bokmål otherwise (the pages then followed
the browser, not the person; docs/decisions.md). New columns carry database defaults, so the
release before this one can still insert during a rolling deploy.
"""

import importlib

from django.db import migrations, models

CONSENT_NN = """\
# Kvifor vi spør deg
NAV-kontoret vil gjerne ha deg med i gruppa av brukarrepresentantar. Ein brukarrepresentant sit i intervjupanelet saman med tilsette når NAV tilset nye medarbeidarar, og bidreg med erfaringa si som brukar av NAV.

# Kva vi lagrar om deg
- namnet ditt, e-postadressa og telefonnummeret ditt, slik at vi kan kontakte deg
- fødselsåret ditt, slik at panela får med folk i ulike aldrar
- brukarorganisasjonen du eventuelt kjem frå
- bakgrunnen og erfaringa du sjølv kryssar av for på denne sida, til dømes psykisk helse eller kronisk sjukdom. Dette er særleg verna opplysningar (særlege kategoriar av personopplysningar), og vi lagrar dei berre fordi du seier ja
- kva intervjupanel du er invitert til, kva du svarte, og om du var med
- behov for tilrettelegging, viss du sjølv skriv det inn

# Kvifor vi lagrar det
Vi bruker opplysningane til å spørje deg om å sitje i intervjupanel, til å setje saman panel med folk med ulik bakgrunn, og til å rekne ut honorar og reisegodtgjersle. Talet på personar med kvar bakgrunn som har vore med på intervju, blir brukt i statistikk. Statistikken har ingen namn, og små tal blir ikkje viste, slik at ingen kan kjennast att.

# Kven som ser opplysningane
Leiarane ved NAV-kontoret eller kontora som har deg i gruppa si, og HR-rådgjevarar i NAV som har ansvar for honorar og statistikk. Berre leiarane ved kontoret ser behov for tilrettelegging. Ingen andre ser opplysningane, og vi gjev dei ikkje vidare.

# Kor lenge vi lagrar dei
Så lenge du er med i gruppa av brukarrepresentantar. Når du trekkjer samtykket eller ber oss slette deg, slettar vi namnet ditt, kontaktopplysningane, fødselsåret, organisasjonen og bakgrunnen din. Statistikken held berre på tal utan namn.

# Du bestemmer
Det er frivillig å vere med. Du kan når som helst trekkje samtykket og be oss slette opplysningane om deg. Du treng ikkje seie kvifor, og det har inga betydning for tenestene du får frå NAV. Du har også rett til å sjå og rette det vi har lagra om deg. Spør kontaktpersonen ved NAV-kontoret.

Vi behandlar opplysningane fordi du samtykkjer (personvernforordninga artikkel 6 nr. 1 bokstav a og artikkel 9 nr. 2 bokstav a).
"""

CONFIDENTIALITY_NN = """\
Som brukarrepresentant i eit intervjupanel får du vite ting om søkjarane som ingen andre skal få vite. Difor har du teieplikt, på same måte som dei tilsette i NAV.

Eg lovar at
- eg ikkje fortel nokon kven som har søkt på stillinga, eller kven som blei intervjua
- eg ikkje fortel nokon kva søkjarane har sagt i intervjuet, eller kva som står i søknadene deira
- eg ikkje fortel nokon kva panelet meinte om søkjarane, eller kven som fekk jobben
- eg ikkje tek med meg notat, papir eller bilete frå intervjua
- eg seier frå til NAV-kontoret før intervjuet viss eg kjenner ein av søkjarane

Alt eg får vite om søkjarane, blir verande i rommet. Teieplikta gjeld også etter at intervjua er ferdige, og etter at eg har slutta som brukarrepresentant.

Teieplikta følgjer av forvaltningslova § 13 og NAV-lova § 7. Brot på teieplikta kan straffast etter straffelova § 209.

Er du usikker på kva du kan fortelje, så spør kontaktpersonen ved NAV-kontoret.
"""


def nynorsk_texts(apps, schema_editor):
    first = importlib.import_module("panels.migrations.0004_publish_first_texts")
    for model, body, body_nn in (
        ("ConsentText", first.CONSENT_NB, CONSENT_NN),
        ("ConfidentialityText", first.CONFIDENTIALITY_NB, CONFIDENTIALITY_NN),
    ):
        apps.get_model("panels", model).objects.filter(version=1, body=body, body_nn="").update(
            body_nn=body_nn
        )


def languages_read(apps, schema_editor):
    for model in ("ConsentGiven", "ConfidentialitySigned"):
        apps.get_model("panels", model).objects.filter(
            representative__language="en"
        ).exclude(text__body_en="").update(language="en")



class Migration(migrations.Migration):

    dependencies = [
        ('panels', '0017_candidate_questionnaire'),
    ]

    operations = [
        migrations.AddField(
            model_name='background',
            name='name_nn',
            field=models.CharField(blank=True, db_default='', default='', help_text='Shown to those who chose nynorsk; the bokmål name when empty.', max_length=100, verbose_name='name (Norwegian Nynorsk)'),
        ),
        migrations.AddField(
            model_name='confidentialitysigned',
            name='language',
            field=models.CharField(choices=[('nb', 'Norwegian Bokmål'), ('nn', 'Norwegian Nynorsk'), ('en', 'English')], db_default='nb', default='nb', max_length=2, verbose_name='language read'),
        ),
        migrations.AddField(
            model_name='confidentialitytext',
            name='body_nn',
            field=models.TextField(blank=True, db_default='', default='', help_text='Shown when the page is in nynorsk. Required to publish.', verbose_name='text (Norwegian Nynorsk)'),
        ),
        migrations.AddField(
            model_name='consentgiven',
            name='language',
            field=models.CharField(choices=[('nb', 'Norwegian Bokmål'), ('nn', 'Norwegian Nynorsk'), ('en', 'English')], db_default='nb', default='nb', max_length=2, verbose_name='language read'),
        ),
        migrations.AddField(
            model_name='consenttext',
            name='body_nn',
            field=models.TextField(blank=True, db_default='', default='', help_text='Shown when the page is in nynorsk. Required to publish.', verbose_name='text (Norwegian Nynorsk)'),
        ),
        migrations.AlterField(
            model_name='background',
            name='name',
            field=models.CharField(max_length=100, verbose_name='name (Norwegian Bokmål)'),
        ),
        migrations.AlterField(
            model_name='confidentialitytext',
            name='body',
            field=models.TextField(help_text='Plain text. Leave a blank line between paragraphs; start a line with “# ” for a heading and “- ” for a point in a list.', verbose_name='text (Norwegian Bokmål)'),
        ),
        migrations.AlterField(
            model_name='confidentialitytext',
            name='body_en',
            field=models.TextField(blank=True, help_text='Shown when the page is in English. Required to publish.', verbose_name='text (English)'),
        ),
        migrations.AlterField(
            model_name='consenttext',
            name='body',
            field=models.TextField(help_text='Plain text. Leave a blank line between paragraphs; start a line with “# ” for a heading and “- ” for a point in a list.', verbose_name='text (Norwegian Bokmål)'),
        ),
        migrations.AlterField(
            model_name='consenttext',
            name='body_en',
            field=models.TextField(blank=True, help_text='Shown when the page is in English. Required to publish.', verbose_name='text (English)'),
        ),
        migrations.AlterField(
            model_name='representative',
            name='language',
            field=models.CharField(choices=[('nb', 'Norwegian Bokmål'), ('nn', 'Norwegian Nynorsk'), ('en', 'English')], default='nb', max_length=2, verbose_name='language'),
        ),
        migrations.RunPython(nynorsk_texts, migrations.RunPython.noop),
        migrations.RunPython(languages_read, migrations.RunPython.noop),
    ]
