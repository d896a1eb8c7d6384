"""The top layer of the apps (ADR 0018): navigation, the admin site, the demo orchestration and the
institution dossier, which each read several apps. Nothing imports it except config/."""
