def title(text: str) -> str:
    return " ".join(w.capitalize() for w in text.split())
