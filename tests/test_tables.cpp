// A malformed spec table is refused with its file, line and field, and a good one loads as written.
#include <catch2/catch.hpp>

#include "harness/host/plan.hpp"
#include "harness/host/table.hpp"

#include <cstdio>
#include <fstream>
#include <set>
#include <unistd.h>

using namespace conformance;

namespace {

struct TempTable {
    std::string path;
    explicit TempTable(const std::string& text) {
        char name[] = "/tmp/semget-table-XXXXXX.yaml";
        int fd = mkstemps(name, 5);
        path = name;
        std::ofstream(path) << text;
        close(fd);
    }
    ~TempTable() { unlink(path.c_str()); }
};

const char* kHead = "area: create\ncases:\n  - id: A8\n    title: t\n    source: s\n    profile: posix\n";

std::string error_of(const std::string& text) {
    TempTable t(text);
    try {
        load_table_file(t.path);
    } catch (const TableError& e) {
        std::string msg = e.what();
        REQUIRE(msg.rfind(t.path + ":", 0) == 0);  // always starts with the file
        return msg.substr(t.path.size());
    }
    FAIL("the table was accepted");
    return "";
}

}  // namespace

TEST_CASE("a good table loads with its preconditions as setup steps", "[tables]") {
    TempTable t(std::string(kHead) +
                "    given: {sets: {k1: {nsems: 2, mode: 0640}}}\n"
                "    steps:\n      - semget: {key: k1, nsems: 1, flags: IPC_CREAT|IPC_EXCL|0600}\n"
                "        expect: {errno: EEXIST}\n");
    auto cases = load_table_file(t.path);
    REQUIRE(cases.size() == 1);
    const Case& c = cases[0];
    CHECK(c.id == "A8");
    CHECK(c.errnos == std::vector<std::string>{"EEXIST"});
    REQUIRE(c.steps.size() == 2);
    CHECK(c.steps[0].setup);
    CHECK(c.steps[0].args.at("flags") == std::to_string(01000 | 02000 | 0640));
    CHECK(c.steps[1].args.at("flags") == std::to_string(01000 | 02000 | 0600));
    CHECK(*c.steps[1].expect.error == "EEXIST");
}

TEST_CASE("an unknown field names its line and path", "[tables]") {
    CHECK(error_of(std::string(kHead) + "    colour: red\n    steps: []\n") == ":7: field 'cases[0].colour': unknown field");
}

TEST_CASE("a missing field is named", "[tables]") {
    CHECK(error_of("area: create\ncases:\n  - id: A8\n    source: s\n    profile: posix\n    steps: []\n") ==
          ":3: field 'cases[0].title': missing or not a scalar");
}

TEST_CASE("a bad errno, flag, key, profile or operation is named with its line", "[tables]") {
    const std::string steps = "    steps:\n      - semget: {key: k1, nsems: 1, flags: IPC_CREAT}\n";
    CHECK(error_of(std::string(kHead) + steps + "        expect: {errno: EWHAT}\n") ==
          ":9: field 'cases[0].steps[0].expect.errno': 'EWHAT' is not a known errno name");
    CHECK(error_of(std::string(kHead) + "    steps:\n      - semget: {key: k1, nsems: 1, flags: IPC_CRAET}\n"
                                        "        expect: {errno: EEXIST}\n") ==
          ":8: field 'cases[0].steps[0].semget.flags': 'IPC_CRAET' is not IPC_CREAT, IPC_EXCL, IPC_NOWAIT or a number");
    CHECK(error_of(std::string(kHead) + "    steps:\n      - semget: {key: 9x, nsems: 1, flags: 0}\n"
                                        "        expect: {errno: EEXIST}\n") ==
          ":8: field 'cases[0].steps[0].semget.key': '9x' is not a key name, IPC_PRIVATE or an integer");
    CHECK(error_of(std::string(kHead) + "    steps:\n      - semgot: {key: k1}\n") ==
          ":8: field 'cases[0].steps[0].semgot': unknown operation or field");
    CHECK(error_of("area: create\ncases:\n  - {id: A1, title: t, source: s, profile: bsd, steps: []}\n") ==
          ":3: field 'cases[0].profile': must be posix or linux");
}

TEST_CASE("a step must expect something and name only known callers", "[tables]") {
    CHECK(error_of(std::string(kHead) + "    steps:\n      - semget: {key: k1, nsems: 1, flags: 0}\n") ==
          ":8: field 'cases[0].steps[0].expect': missing: a step must expect something");
    CHECK(error_of(std::string(kHead) + "    steps:\n      - by: nobody\n        semget: {key: k1, nsems: 1, flags: 0}\n"
                                        "        expect: {errno: ENOENT}\n") ==
          ":8: field 'cases[0].steps[0].by': no caller named 'nobody'");
}

TEST_CASE("a YAML syntax error and a duplicate id are reported", "[tables]") {
    CHECK(error_of("area: create\ncases: [\n").find("field '(syntax)'") != std::string::npos);
    const std::string one = "  - {id: A1, title: t, source: s, profile: posix, steps: [{semget: {flags: 0}, expect: {created: true}}]}\n";
    CHECK(error_of("area: create\ncases:\n" + one + one) == ":4: field 'cases[1].id': duplicate id 'A1'");
}

TEST_CASE("every shipped table loads and covers every catalogue row", "[tables]") {
    auto all = load_tables(SEMGET_TABLES_DIR);
    std::set<std::string> rows;
    for (auto& c : all) rows.insert(c.row());
    const std::pair<char, int> areas[] = {{'A', 20}, {'B', 13}, {'C', 6}, {'D', 16}, {'E', 12}, {'F', 17}, {'G', 7}, {'H', 5}};
    for (auto [letter, n] : areas)
        for (int i = 1; i <= n; ++i) {
            INFO("catalogue row " << letter << i);
            CHECK(rows.count(std::string(1, letter) + std::to_string(i)) == 1);
        }
}

TEST_CASE("cases that need what a system lacks are skipped with the reason", "[plan]") {
    TempTable t(std::string(kHead) + "    callers: {alice: {uid: 1000}}\n    given: {limits: {SEMMNI: 1}}\n"
                "    steps:\n      - by: alice\n        semget: {key: k1, nsems: 1, flags: 0}\n        expect: {errno: ENOENT}\n");
    Case c = load_table_file(t.path).at(0);
    CHECK(skip_reason(c, Facts::parse("mode=none limits_writable=0"))->find("private IPC namespace") != std::string::npos);
    CHECK(skip_reason(c, Facts::parse("mode=ipc limits_writable=0"))->find("writable /proc/sys/kernel/sem") != std::string::npos);
    CHECK(skip_reason(c, Facts::parse("mode=userns limits_writable=1"))->find("second real uid") != std::string::npos);
    CHECK_FALSE(skip_reason(c, Facts::parse("mode=ipc limits_writable=1")));
}
