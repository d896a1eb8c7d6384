"""The school risk score (issue 17): features (``features``), the model with its contributions (``model``) and
the back-test (``backtest``). Django-free: the web app stores and shows what these compute."""
