import Engine

/// Region sets for the sign-off tests.
enum RegionSetFactory {
    static func rectangle(x: Int, label: String = "cat") throws -> RegionSet {
        let json = #"{"regions": [{"label": "\#(label)", "kind": "focus", "shapes": [{"type": "rect", "x": \#(x), "y": 5, "width": 10, "height": 10}]}]}"#
        return try RegionSet.parse(Array(json.utf8))
    }
}
