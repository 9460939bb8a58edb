import ProcdPlatform
import Testing

struct FileTests {
    /// Paths already absolute and normal come back as they are; the rest are joined to the
    /// directory and normalised, whichever way `absolute` takes.
    @Test(arguments: [
        ("/home/ana/.procd", "/x", "/home/ana/.procd"),
        ("/tmp/pb1/boot-1", "/x", "/tmp/pb1/boot-1"),
        ("/tmp//a/./b/../c/", "/x", "/tmp/a/c"),
        ("/a/.hidden/b", "/x", "/a/.hidden/b"),
        ("/", "/x", "/"),
        ("/..", "/x", "/"),
        ("rel/dir", "/work", "/work/rel/dir"),
        ("./rel", "/work/", "/work/rel"),
        ("../up", "/work/here", "/work/up"),
        ("", "/work", "/work"),
    ])
    func absolute(path: String, cwd: String, expected: String) {
        #expect(File.absolute(path, cwd: cwd) == expected)
    }
}
