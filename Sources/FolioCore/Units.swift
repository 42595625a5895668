/// Lengths and geometry. Everything in Folio is measured in PostScript points (1/72 inch);
/// millimetres appear only at the edges (templates, CLI), converted once.

/// A length in points.
public typealias Pt = Double

/// The ideographic em box's ascent and descent, in ems: a CJK line's box runs from 0.88 em
/// above its baseline to 0.12 em below (the fonts' ideographic embox; the baseline grid,
/// openings and captions all place lines by it).
public enum IdeographicBox {
    public static let ascent = 0.88
    public static let descent = 0.12
}

/// Millimetres to points (25.4 mm = 72 pt).
@inlinable public func mm(_ value: Double) -> Pt { value * 72.0 / 25.4 }

/// Points to millimetres.
@inlinable public func toMM(_ value: Pt) -> Double { value * 25.4 / 72.0 }

public struct Point: Hashable, Sendable {
    public var x: Pt
    public var y: Pt
    public init(x: Pt, y: Pt) { self.x = x; self.y = y }
    public static let zero = Point(x: 0, y: 0)
}

public struct Size: Hashable, Sendable {
    public var width: Pt
    public var height: Pt
    public init(width: Pt, height: Pt) { self.width = width; self.height = height }
}

/// A rectangle in page space: origin at the top left, y growing downwards (Cairo's convention).
public struct Rect: Hashable, Sendable {
    public var x: Pt
    public var y: Pt
    public var width: Pt
    public var height: Pt
    public init(x: Pt, y: Pt, width: Pt, height: Pt) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Pt { x + width }
    public var maxY: Pt { y + height }
    public var midX: Pt { x + width / 2 }
    public func insetBy(_ d: Pt) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
    public func intersects(_ o: Rect) -> Bool {
        x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY
    }
    public func contains(_ o: Rect, tolerance: Pt = 0.01) -> Bool {
        o.x >= x - tolerance && o.y >= y - tolerance && o.maxX <= maxX + tolerance && o.maxY <= maxY + tolerance
    }
}

/// An sRGB colour, components in 0…1.
public struct Color: Hashable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public init(red: Double, green: Double, blue: Double) { self.red = red; self.green = green; self.blue = blue }
    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)

    /// Parses `#rrggbb`; nil for anything else.
    public init?(hex: String) {
        var s = Substring(hex)
        if s.hasPrefix("#") { s = s.dropFirst() }
        guard s.count == 6, let v = UInt32(s, radix: 16) else { return nil }
        red = Double((v >> 16) & 0xff) / 255
        green = Double((v >> 8) & 0xff) / 255
        blue = Double(v & 0xff) / 255
    }
}

extension Duration {
    /// The duration in seconds (timings Folio reports).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
