/// Dates on the wire as Unleashed writes them: `"\/Date(1528329600000)\/"`, the slashes escaped (.NET's
/// serialiser does this for dates only; other strings, URLs included, keep plain `/`). Every raw
/// recording of the real API has this form. JSON reads `\/` as `/`, so a parsed value is the same
/// `/Date(ms)/` either way; this matters to clients that compare bytes.
enum WireDates {
    private static let opening = Array(#""/Date("#.utf8)

    /// `json` with every string value that is exactly a `/Date(ms)/` (an optional sign and `±hhmm`
    /// offset allowed) written in the escaped form; the same bytes when there is none.
    static func escaped(_ json: [UInt8]) -> [UInt8] {
        guard let first = nextDate(in: json, from: 0) else { return json }
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 64)
        var copied = 0
        var match: (start: Int, end: Int)? = first
        while let found = match {
            let (start, end) = found
            out.append(contentsOf: json[copied..<start])
            // `"/Date(` … `)/"` → `"\/Date(` … `)\/"`
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: "\\"))
            out.append(contentsOf: json[(start + 1)..<(end - 2)])
            out.append(UInt8(ascii: "\\"))
            out.append(contentsOf: json[(end - 2)..<end])
            copied = end
            match = nextDate(in: json, from: end)
        }
        out.append(contentsOf: json[copied...])
        return out
    }

    /// The next `"/Date(digits)/"` string at or after `from`: its opening quote and the index after its closing quote.
    private static func nextDate(in json: [UInt8], from: Int) -> (start: Int, end: Int)? {
        let count = json.count
        var i = from
        while i + opening.count < count {
            guard json[i] == UInt8(ascii: "\""), json[i + 1] == UInt8(ascii: "/"), json[(i + 2)..<(i + opening.count)].elementsEqual(opening[2...]) else {
                i += 1
                continue
            }
            var j = i + opening.count
            if j < count, json[j] == UInt8(ascii: "-") { j += 1 }
            let digitsStart = j
            while j < count, (48...57).contains(json[j]) { j += 1 }
            if j > digitsStart, j < count, json[j] == UInt8(ascii: "+") || json[j] == UInt8(ascii: "-") {
                let offsetStart = j + 1
                j = offsetStart
                while j < count, (48...57).contains(json[j]) { j += 1 }
                if j - offsetStart != 4 { i += 1; continue }
            }
            if j > digitsStart, j + 2 < count, json[j] == UInt8(ascii: ")"), json[j + 1] == UInt8(ascii: "/"), json[j + 2] == UInt8(ascii: "\"") {
                return (i, j + 3)
            }
            i += 1
        }
        return nil
    }
}
