"""Password rules (issue 13.6): at least 10 characters and hard to guess, measured by zxcvbn.

zxcvbn (Dropbox's estimator, pure Python) says how many guesses a password would
take and why it is weak, in English; its warnings and suggestions are translated
here (a small table of its fixed strings). A password it scores below 3 ("safely
unguessable: moderate protection from offline attack") is refused.

Demo nodes keep their short password "demo": their data is invented and thrown away
(`app.demo`), and the README names that password. `Session.add_user` and friends
apply the rules on every other node.
"""

from __future__ import annotations

from app.errors import FieldError

MIN_LENGTH = 10
MIN_SCORE = 3

# zxcvbn's feedback strings (zxcvbn/feedback.py, 4.x) -> Vietnamese.
_VI = {
    "Use a few words, avoid common phrases.": "Dùng vài từ ghép lại, tránh các cụm từ quen thuộc.",
    "No need for symbols, digits, or uppercase letters.": "Không cần ký hiệu, chữ số hay chữ hoa.",
    "Add another word or two. Uncommon words are better.": "Thêm một hai từ nữa; từ ít gặp thì tốt hơn.",
    "Straight rows of keys are easy to guess.": "Các phím liền hàng trên bàn phím rất dễ đoán.",
    "Short keyboard patterns are easy to guess.": "Các mẫu gõ phím ngắn rất dễ đoán.",
    "Use a longer keyboard pattern with more turns.": "Nếu dùng mẫu bàn phím, hãy dùng mẫu dài hơn và đổi hướng nhiều lần.",
    'Repeats like "aaa" are easy to guess.': "Lặp lại như \"aaa\" rất dễ đoán.",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        "Lặp lại như \"abcabcabc\" chỉ khó đoán hơn \"abc\" một chút.",
    "Avoid repeated words and characters.": "Tránh lặp lại từ và ký tự.",
    'Sequences like "abc" or "6543" are easy to guess.': "Dãy liên tiếp như \"abc\" hay \"6543\" rất dễ đoán.",
    "Avoid sequences.": "Tránh các dãy liên tiếp.",
    "Recent years are easy to guess.": "Các năm gần đây rất dễ đoán.",
    "Avoid recent years.": "Tránh dùng các năm gần đây.",
    "Avoid years that are associated with you.": "Tránh các năm gắn với bản thân bạn.",
    "Dates are often easy to guess.": "Ngày tháng thường rất dễ đoán.",
    "Avoid dates and years that are associated with you.": "Tránh ngày tháng và năm gắn với bản thân bạn.",
    "This is a top-10 common password.": "Đây là một trong 10 mật khẩu phổ biến nhất.",
    "This is a top-100 common password.": "Đây là một trong 100 mật khẩu phổ biến nhất.",
    "This is a very common password.": "Đây là một mật khẩu rất phổ biến.",
    "This is similar to a commonly used password.": "Mật khẩu này gần giống một mật khẩu phổ biến.",
    "A word by itself is easy to guess.": "Một từ đứng riêng rất dễ đoán.",
    "Names and surnames by themselves are easy to guess.": "Tên hoặc họ đứng riêng rất dễ đoán.",
    "Common names and surnames are easy to guess.": "Tên và họ phổ biến rất dễ đoán.",
    "Capitalization doesn't help very much.": "Viết hoa chữ đầu không giúp được nhiều.",
    "All-uppercase is almost as easy to guess as all-lowercase.": "Viết hoa toàn bộ cũng dễ đoán gần như viết thường.",
    "Reversed words aren't much harder to guess.": "Viết ngược từ cũng không khó đoán hơn bao nhiêu.",
    "Predictable substitutions like '@' instead of 'a' don't help very much.":
        "Thay chữ bằng ký hiệu dễ đoán (như '@' thay cho 'a') không giúp được nhiều.",
}


def translate(text: str) -> str:
    """The Vietnamese of one zxcvbn feedback string (the English itself if the table lacks it)."""
    return _VI.get(" ".join(text.split()), text)


def password_problems(password: str | None, *, username: str | None = None, path: str = "password",
                      inputs: tuple[str, ...] = ()) -> list[FieldError]:
    """What is wrong with `password` as a new password (empty list: it is good enough).

    `username` and `inputs` (display name, node name…) count as guessable words.
    """
    password = password or ""
    if len(password) < MIN_LENGTH:
        return [FieldError(path, f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự (hiện có {len(password)}).",
                           f"The password must have at least {MIN_LENGTH} characters (it has {len(password)}).")]
    if username and password.strip().lower() == username.strip().lower():
        return [FieldError(path, "Mật khẩu không được giống tên đăng nhập.",
                           "The password must not be the user name.")]
    from zxcvbn import zxcvbn

    words = [w for w in (username, *inputs) if w]
    # zxcvbn's cost grows fast with length; 100 characters say all there is to say.
    result = zxcvbn(password[:100], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result.get("feedback") or {}
    said = [t for t in [feedback.get("warning") or ""] + list(feedback.get("suggestions") or []) if t]
    vi = " ".join(translate(t) for t in said)
    en = " ".join(said)
    return [FieldError(
        path,
        "Mật khẩu này quá dễ đoán." + (f" {vi}" if vi else "") + " Gợi ý: ghép ba bốn từ không liên quan với nhau.",
        "This password is too easy to guess." + (f" {en}" if en else "")
        + " Tip: join three or four unrelated words.",
    )]
