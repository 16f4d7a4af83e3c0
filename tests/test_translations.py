from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestSpanish(TransactionCase):
    def test_every_string_of_the_code_and_data_has_spanish(self):
        """What Odoo itself exports of the addon (code, views, data, reports)
        is translated in i18n/es.po: the .pot cannot lag behind the code
        (tools/update_i18n.sh brings both up to date)."""
        import polib

        translated = {
            entry.msgid
            for entry in polib.pofile(str(I18N / "es.po"))
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }
        reader = TranslationModuleReader(self.env.cr, ["isp_sales_desk"])
        sources = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in reader
            if module == "isp_sales_desk"
        }
        missing = sorted(sources - translated)
        self.assertFalse(
            missing, f"{len(missing)} strings without Spanish: {missing[:20]}"
        )
