/// The Python half of DifferentialTests (kept in Swift so the test target has no resource files).
enum DifferentialScript {
    static let source = #"""
    """Differential testing helper for DifferentialTests.swift.

    gen SEED N OUT: writes N lines "V<TAB>hex" / "I<TAB>hex": random JSON documents (numbers with
    exact text, escapes, raw and escaped Unicode, surrogate pairs, control characters) and single-
    byte mutations of them, each labelled valid or invalid by Python's json module (strict, with
    NaN/Infinity and lone surrogates counted as invalid, since omsync rejects them).
    check DOCS RESULTS: compares omsync's verdicts and re-serialisations with Python's values
    (numbers as Decimal); prints "mismatches N valid V invalid I" and the first mismatches.
    """
    import json, random, sys
    from decimal import Decimal

    def gen(seed, n, out):
        rnd = random.Random(seed)
        def rstr():
            chars = []
            for _ in range(rnd.randint(0, 10)):
                r = rnd.random()
                if r < 0.6: chars.append(chr(rnd.randint(0x20, 0x7E)))
                elif r < 0.7: chars.append(chr(rnd.randint(0, 0x1F)))
                elif r < 0.8: chars.append(chr(rnd.randint(0xA0, 0x7FF)))
                elif r < 0.9: chars.append(chr(rnd.choice([rnd.randint(0x800, 0xD7FF), rnd.randint(0xE000, 0xFFFD), 0x2028, 0x2029])))
                else: chars.append(chr(rnd.randint(0x10000, 0x10FFFF)))
            return json.dumps(''.join(chars), ensure_ascii=rnd.random() < 0.5)
        def rnum():
            r = rnd.random()
            sign = rnd.choice(['', '-'])
            if r < 0.3: return str(rnd.randint(-10**6, 10**6))
            if r < 0.45: return str(rnd.randint(-10**40, 10**40))
            if r < 0.8: return f"{sign}{rnd.randint(0, 99999)}.{'0' * rnd.randint(0, 3)}{rnd.randint(0, 99999)}"
            return f"{sign}{rnd.randint(1, 9)}{rnd.choice(['', '.5', '.25'])}{rnd.choice('eE')}{rnd.choice(['', '+', '-'])}{rnd.randint(0, 500)}"
        def ws():
            return rnd.choice(['', '', '', ' ', '\n', '\t', '\r\n '])
        def val(depth):
            r = rnd.random()
            if depth > 4 or r < 0.35:
                s = rnd.random()
                if s < 0.45: return rstr()
                if s < 0.85: return rnum()
                return rnd.choice(['true', 'false', 'null'])
            if r < 0.6:
                return '[' + ws() + (',' + ws()).join(val(depth + 1) + ws() for _ in range(rnd.randint(0, 4))) + ']'
            return '{' + ws() + (',' + ws()).join(rstr() + ws() + ':' + ws() + val(depth + 1) + ws() for _ in range(rnd.randint(0, 4))) + '}'
        noise = list(b'[]{}",:\\ 0123456789.eE+-tfnaul\x00\x1f\xff\xc3\xed\x80')
        with open(out, 'w') as f:
            for _ in range(n):
                doc = (ws() + val(0) + ws()).encode('utf-8')
                if rnd.random() < 0.4 and doc:
                    b = bytearray(doc)
                    k = rnd.randrange(len(b))
                    m = rnd.random()
                    if m < 0.4: del b[k]
                    elif m < 0.8: b.insert(k, rnd.choice(noise))
                    else: b[k] = rnd.choice(noise)
                    doc = bytes(b)
                f.write(('V' if valid(doc) else 'I') + '\t' + doc.hex() + '\n')

    def no_surrogates(v):
        if isinstance(v, str):
            v.encode('utf-8')
        elif isinstance(v, list):
            for e in v: no_surrogates(e)
        elif isinstance(v, dict):
            for k, e in v.items(): no_surrogates(k); no_surrogates(e)

    def reject_constant(name):
        raise ValueError(name)

    def number(text):
        try:
            return Decimal(text)
        except ArithmeticError:   # exponent beyond Decimal's range: compare the exact text
            return ('number', text)

    def load(b):
        return json.loads(b.decode('utf-8'), parse_float=number, parse_int=number, parse_constant=reject_constant)

    def valid(doc):
        try:
            no_surrogates(load(doc))
            return True
        except (ValueError, UnicodeError, RecursionError):
            return False

    def check(docs, results):
        mismatches, valid_count, invalid_count, shown = 0, 0, 0, []
        for d, r in zip(open(docs), open(results)):
            label, hexdoc = d.rstrip('\n').split('\t')
            parts = r.rstrip('\n').split('\t')
            doc = bytes.fromhex(hexdoc)
            if label == 'V':
                valid_count += 1
                ok = parts[0] == 'OK' and all(load(bytes.fromhex(p)) == load(doc) for p in parts[1:])
            else:
                invalid_count += 1
                ok = parts[0] == 'ERR'
            if not ok:
                mismatches += 1
                if len(shown) < 5: shown.append(f"{label} {doc!r} -> {parts}")
        print(f"mismatches {mismatches} valid {valid_count} invalid {invalid_count}")
        for s in shown: print(s)

    if sys.argv[1] == 'gen': gen(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else: check(sys.argv[2], sys.argv[3])
    """#
}
