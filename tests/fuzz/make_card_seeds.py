#!/usr/bin/env python3
"""Writes the seed corpora of the card fuzz targets (corpus/card_*): scripted answers of a My
Number Card for the conversations the card layer has (README.md here explains the format). Run it
from anywhere after changing the conversations; the output is deterministic and committed."""
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
OK = b"\x90\x00"


def script(*answers):
    """Fuzz-channel format: each raw R-APDU as a 2-byte big-endian length + the bytes."""
    return b"".join(len(a).to_bytes(2, "big") + a for a in answers)


def sw(hex_sw):
    return bytes.fromhex(hex_sw)


def chunks(data, size=256):
    return [data[i:i + size] for i in range(0, len(data), size)]


def fake_certificate(total=749):
    """DER-shaped: 30 82 LL LL and a body (the card layer only trusts the length header)."""
    body = bytes((i * 31) & 0xFF for i in range(total - 4))
    return b"\x30\x82" + (total - 4).to_bytes(2, "big") + body


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = b"\x81" + bytes([n])
    else:
        length = b"\x82" + n.to_bytes(2, "big")
    return tag.to_bytes(2 if tag > 0xFF else 1, "big") + length + value


def card_face(photo, good_table=True):
    """EF 0002: FF20 { DF21 offset table, DF22..DF2A } with fictitious filler for the personal
    fields (never read by the card layer) and `photo` as DF27."""
    fields = [(0xDF22, b"19800217"), (0xDF23, b"1"), (0xDF24, b"\x24" * 265), (0xDF25, b"\x25" * 300),
              (0xDF26, b"\x26" * 400), (0xDF27, photo), (0xDF28, b"\x28" * 256),
              (0xDF29, b"20351231"), (0xDF2A, b"\x2A" * 120)]
    encoded = [tlv(tag, value) for tag, value in fields]
    table_len = 2 * len(fields)
    inner_len = 3 + table_len + sum(len(e) for e in encoded)
    pos = 5 + 3 + table_len
    table = b""
    for e in encoded:
        table += (pos if good_table else 0x7FF0).to_bytes(2, "big")
        pos += len(e)
    return b"\xFF\x20\x82" + inner_len.to_bytes(2, "big") + tlv(0xDF21, table) + b"".join(encoded)


def face_reads(face, photo_len, good_table=True):
    """The READ BINARY answers Kenkaku::read_face_jp2 asks for, in order."""
    end = len(face)
    answers = [face[0:8] + OK]                     # FF20 + DF21 headers
    table_at, table_len = 8, face[7]
    answers.append(face[table_at:table_at + table_len] + OK)
    if good_table:
        target = int.from_bytes(face[table_at + 10:table_at + 12], "big")
        window = face[target:target + min(256, end - target)]
        answers.append(window + OK)
        header = 5                                  # DF 27 82 LL LL
        have = len(window) - header
        rest = face[target + header + have:target + header + photo_len]
        answers += [c + OK for c in chunks(rest)]
        return answers
    pos = table_at + table_len                      # walk the headers, skipping values by length
    while True:
        header = face[pos:pos + 5]
        answers.append(header + OK)
        tag = int.from_bytes(header[0:2], "big")
        if header[2] < 0x80:
            hsize, length = 3, header[2]
        elif header[2] == 0x81:
            hsize, length = 4, header[3]
        else:
            hsize, length = 5, int.from_bytes(header[3:5], "big")
        if tag == 0xDF27:
            answers += [c + OK for c in chunks(face[pos + hsize:pos + hsize + length])]
            return answers
        pos += hsize + length


def write(target, name, data):
    directory = HERE / "corpus" / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def main():
    token = b"JPKIAPICCTOKEN2".ljust(32, b" ")
    cert = fake_certificate()
    identify = [OK, OK, token + OK]                                   # SELECT AP, SELECT 0006, READ
    read_cert = [OK] + [c + OK for c in chunks(cert)]                 # SELECT 000A, READ x3
    signature = bytes((i * 7) & 0xFF for i in range(256))
    write("card_jpki", "pin_check_ok", script(*identify, *read_cert, OK, sw("63C3"), OK, OK, signature + OK))
    write("card_jpki", "pin_incorrect", script(*identify, *read_cert, OK, sw("63C3"), sw("63C2"), OK, sw("6982")))
    write("card_jpki", "last_try_refused", script(*identify, *read_cert, OK, sw("63C1"), OK, sw("6982")))
    write("card_jpki", "verified_state", script(*identify, *read_cert, OK, OK, OK, OK, signature + OK))
    write("card_jpki", "pin_blocked", script(*identify, *read_cert, OK, sw("63C0")))
    write("card_jpki", "juki_card", script(OK, OK, b"JPKIAPICCTOKEN".ljust(32, b"\0") + OK))
    write("card_jpki", "t0_get_response", script(OK, OK, sw("6120"), token + OK, OK, sw("6100"), cert[:256] + OK,
                                                 cert[256:512] + OK, cert[512:] + OK))
    write("card_jpki", "removed_mid_read", script(*identify, OK, cert[:256] + OK, b""))

    photo = (HERE / "corpus" / "face_photo" / "grey16.jp2").read_bytes()
    select_and_verify = [OK, OK, sw("63CA"), OK, OK]  # SELECT AP, SELECT 0012, tries, VERIFY, SELECT 0002
    for good in (True, False):
        face = card_face(photo, good)
        name = "photo_offset_table" if good else "photo_header_walk"
        write("card_kenkaku", name, script(*select_and_verify, *face_reads(face, len(photo), good)))
    write("card_kenkaku", "collation_b_last_try", script(OK, OK, sw("63C1"), OK, sw("6982")))
    write("card_kenkaku", "no_kenkaku_ap", script(sw("6A82")))

    face = card_face(photo)
    write("card_response", "ok", OK)
    write("card_response", "tries_left", sw("63C2"))
    write("card_response", "token", token + OK)
    write("card_response", "card_face_head", face[:8])
    write("card_response", "card_face", face)
    write("card_response", "certificate_head", cert[:256] + OK)


if __name__ == "__main__":
    main()
