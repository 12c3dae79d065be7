"""Creates the records the fuzzer needs to get past "not found", through the
public and officer API of a fresh server, and prints them as JSON (read by
hooks.py from $FUZZ_FIXTURES):

- dossiers at statuses 1, 4, 5 (documents asked for), 6 (a fee asked for),
  9 (a result attached) and 10, each with its code and secret
- feedback reports: one received with a PNG photo, one assigned
- an upload id, for supplements and results
- producer tieucua's product GTIN and a lot of it, a photo of theirs
  (/api/v1/media/{name}), and a site's slug

Usage: python seed.py BASE_URL OFFICER_TOKEN FIXTURES_DIR
"""

import json
import sys
import urllib.error
import urllib.request
import uuid

BASE, TOKEN, FIXTURES = sys.argv[1], sys.argv[2], sys.argv[3]
RUN = uuid.uuid4().hex


def call(method, path, body=None, headers=None, raw=None, content_type="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    h = dict(headers or {})
    if data is not None:
        h["Content-Type"] = content_type
    req = urllib.request.Request(BASE + path, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            text = res.read()
            return json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        raise SystemExit(f"seed: {method} {path}: {e.code} {e.read().decode(errors='replace')}")


def upload(name, content_type, data):
    boundary = "fuzzseed" + uuid.uuid4().hex
    raw = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return call("POST", "/api/v1/uploads", raw=raw,
                content_type=f"multipart/form-data; boundary={boundary}")["id"]


def officer(path, body):
    return call("POST", "/api/v1/officer" + path, body, {"Authorization": f"Bearer {TOKEN}"})


# Temporary residence (1.004194): a seed form without files.
DOSSIER = {
    "procedure": "1.004194",
    "answers": {
        "ho_ten": "Nguyễn Văn An",
        "ngay_sinh": "1990-05-12",
        "so_dinh_danh": "045090001234",
        "dien_thoai": "0912345678",
        "noi_tam_tru.province": "quang-tri",
        "noi_tam_tru.commune": "Phường Đông Hà",
        "noi_tam_tru.street": "12 Lê Lợi",
        "tam_tru_den": "2027-06-30",
        "loai_cho_o": "thue",
        "vao_ho_co_san": "no",
    },
}
STEPS = {
    2: {"to": 2},
    4: {"to": 4},
    5: {"to": 5, "reason": "Thiếu giấy tờ", "documents": [{"name": "Bản sao hợp đồng thuê nhà"}]},
    6: {"to": 6, "reason": "Lệ phí", "amount": 15000},
    9: {"to": 9},
    10: {"to": 10},
}


def dossier(n, path):
    r = call("POST", "/api/v1/dossiers", DOSSIER, {"Idempotency-Key": f"fuzz-seed-{n}-{RUN}"})
    for to in path:
        officer(f"/dossiers/{r['code']}/transitions", STEPS[to])
    return {"code": r["code"], "secret": r["secret"]}


pdf = open(f"{FIXTURES}/tiny.pdf", "rb").read()
png = open(f"{FIXTURES}/tiny.png", "rb").read()
out = {"dossiers": {}, "feedback": {}}
for n, path in enumerate([[], [2, 4], [2, 4, 5], [2, 4, 6], [2, 4, 9], [2, 4, 9, 10]]):
    status = str(path[-1] if path else 1)
    out["dossiers"][status] = dossier(n, path)
    if status == "9":
        officer(f"/dossiers/{out['dossiers'][status]['code']}/result", {"upload": upload("kq.pdf", "application/pdf", pdf)})
out["upload"] = upload("giay-to.pdf", "application/pdf", pdf)

REPORT = {
    "category": "roads",
    "title": "Đèn đường hỏng trên đường Lê Lợi",
    "description": "Ba cột đèn không sáng từ tuần trước, buổi tối rất tối.",
    "photos": [],
    "location": {"commune": "Phường Đông Hà", "address": "Số 12 Lê Lợi, gần cầu Đông Hà"},
    "contact": {"name": "Nguyễn Văn An", "phone": "0912 345 678"},
}
for n, status in enumerate(["received", "assigned"]):
    body = dict(REPORT, photos=[upload("anh.png", "image/png", png)])
    r = call("POST", "/api/v1/feedback", body, {"Idempotency-Key": f"fuzz-feedback-{n}-{RUN}"})
    if status == "assigned":
        officer(f"/feedback/{r['code']}/assign", {"agency": "UBND phường Đông Hà"})
    out["feedback"][status] = {"code": r["code"], "secret": r["secret"]}

# The producer's side: signs in as tieucua (a success counts nothing against
# the sign-in limits) and adds a photo.
req = urllib.request.Request(
    BASE + "/api/v1/auth/login",
    data=json.dumps({"username": "tieucua", "password": "hat tieu thom cay"}).encode(),
    headers={"Content-Type": "application/json"}, method="POST")
with urllib.request.urlopen(req, timeout=30) as res:
    csrf = json.load(res)["csrf"]
    cookie = res.headers["Set-Cookie"].split(";", 1)[0]
gtin = call("GET", "/api/v1/me/products", headers={"Cookie": cookie})["listings"][0]["gtin"]
out["gtin"] = gtin
out["lot"] = call("GET", f"/api/v1/products/{gtin}")["batches"][0]["lot"]
boundary = "fuzzseed" + uuid.uuid4().hex
raw = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
       f"Content-Type: image/png\r\n\r\n").encode() + png + f"\r\n--{boundary}--\r\n".encode()
photo = call("POST", "/api/v1/me/photos", raw=raw, headers={"Cookie": cookie, "X-Cuaso-Csrf": csrf},
             content_type=f"multipart/form-data; boundary={boundary}")
out["media"] = photo["url"].rsplit("/", 1)[1]
out["slug"] = call("GET", "/api/v1/sites")["sites"][0]["slug"]
out["bodies"] = {"/api/v1/dossiers": DOSSIER, "/api/v1/feedback": REPORT}

print(json.dumps(out, ensure_ascii=False))
