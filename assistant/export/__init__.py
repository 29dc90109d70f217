"""Exporters: Answer (and later Pack and Case) objects rendered to the files people edit.

No Streamlit here, so the CLI and the app share every format. Each module renders one kind of
object; `text.py` holds the escaping shared by the Markdown writers.
"""
