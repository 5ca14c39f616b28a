from duo_zaak import create_app

app = create_app()
