"""Streamlit-side helpers shared by app.py and the pages: the store, who is signed in, the
guard every page starts with, and widgets used on more than one screen."""
