"""What `streamlit run` starts: the app (app.py) with the two routes that set and clear the
sign-in cookie (ui/cookies.py). Streamlit 1.67's `st.App` is the supported way to add routes."""

import streamlit as st
from starlette.routing import Route

from ui.cookies import end_cookie, set_cookie

app = st.App(
    "app.py",
    routes=[
        Route("/api/session", set_cookie, methods=["POST"]),
        Route("/api/session/end", end_cookie, methods=["POST"]),
    ],
)
