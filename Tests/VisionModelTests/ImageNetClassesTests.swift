import Testing
@testable import VisionModel

/// Class names and keyword matching.
@Suite struct ImageNetClassesTests {
    @Test func namesMatchTheFixtureList() throws {
        let text = try String(contentsOf: ModelFixtures.directory.appendingPathComponent("imagenet_classes.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        #expect(lines.count == 1000)
        #expect(ImageNetClasses.names == lines)
        #expect(Set(ImageNetClasses.names).count == 1000)
        #expect(ImageNetClasses.name(of: 285) == "Egyptian cat")
        #expect(ImageNetClasses.name(of: 1000) == nil)
        #expect(ImageNetClasses.name(of: -1) == nil)
    }

    @Test func matchesExactNamesCaseInsensitively() {
        #expect(ImageNetClasses.match("tabby") == 281)
        #expect(ImageNetClasses.match("Tabby") == 281)
        #expect(ImageNetClasses.match("  sports   CAR ") == 817)
        #expect(ImageNetClasses.match("sports_car") == 817)
        #expect(ImageNetClasses.match("espresso") == 967)
        #expect(ImageNetClasses.match("balloon") == 417)
        #expect(ImageNetClasses.match("crane") == 517)
        #expect(ImageNetClasses.match("crane bird") == 134)
        #expect(ImageNetClasses.match("jack-o'-lantern") == 607)
    }

    @Test func matchesPlurals() {
        #expect(ImageNetClasses.match("balloons") == 417)
        #expect(ImageNetClasses.match("tabbies") == 281)
        #expect(ImageNetClasses.match("espressos") == 967)
        #expect(ImageNetClasses.match("wine bottles") == 907)
        #expect(ImageNetClasses.match("boxes") == nil || ImageNetClasses.name(of: ImageNetClasses.match("boxes")!) != nil)
        #expect(ImageNetClasses.match("pretzels") == 932)
        // An exact name wins over a plural reading: "sunglasses" is its own class.
        #expect(ImageNetClasses.match("sunglasses") == 837)
        #expect(ImageNetClasses.match("sunglass") == 836)
    }

    @Test func rejectsNonClasses() {
        #expect(ImageNetClasses.match("girl") == nil)
        #expect(ImageNetClasses.match("") == nil)
        #expect(ImageNetClasses.match("   ") == nil)
        #expect(ImageNetClasses.match("s") == nil)
        #expect(ImageNetClasses.match("cat") == nil)
    }

    @Test func matchesARegionByLabelThenAliases() {
        #expect(ImageNetClasses.match(label: "kitty", aliases: ["cat", "tabby cat", "tabby"]) == 281)
        #expect(ImageNetClasses.match(label: "cup", aliases: ["espresso"]) == 968)
        #expect(ImageNetClasses.match(label: "person", aliases: []) == nil)
    }

    @Test func resolvesIndicesAndNames() {
        #expect(ImageNetClasses.resolve("285") == 285)
        #expect(ImageNetClasses.resolve(" 0 ") == 0)
        #expect(ImageNetClasses.resolve("999") == 999)
        #expect(ImageNetClasses.resolve("1000") == nil)
        #expect(ImageNetClasses.resolve("-1") == nil)
        #expect(ImageNetClasses.resolve("Egyptian cat") == 285)
    }

    @Test func searchRanksWholeWordsFirst() {
        let cats = ImageNetClasses.search("cat")
        #expect(cats.prefix(4).map(\.index) == [282, 283, 284, 285])
        #expect(cats.contains { $0.name == "catamaran" })
        #expect(cats.allSatisfy { $0.name.lowercased().contains("cat") })
        #expect(ImageNetClasses.search("Egyptian cat").first?.index == 285)
        #expect(ImageNetClasses.search("").count == 1000)
        #expect(ImageNetClasses.search("zzzz").isEmpty)
    }
}
