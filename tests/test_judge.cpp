// The judge classifies every way a case can end and fails any field the implementation got wrong or never
// wrote, with what was expected and what was observed.
#include <catch2/catch.hpp>

#include "harness/host/judge.hpp"

#include <fstream>
#include <unistd.h>

using namespace conformance;

namespace {

Case created_case() {
    char name[] = "/tmp/semget-judge-XXXXXX.yaml";
    int fd = mkstemps(name, 5);
    std::ofstream(name) << "area: semid_ds\ncases:\n  - id: D1\n    title: t\n    source: s\n    profile: posix\n"
                           "    steps:\n      - semget: {key: k1, nsems: 2, flags: IPC_CREAT|0640}\n"
                           "        expect: {created: true}\n";
    close(fd);
    Case c = load_table_file(name).at(0);
    unlink(name);
    return c;
}

const std::string kIdentity = "@@sg identity leader ruid=0 euid=0 rgid=0 egid=0\n";
const std::string kRet = "@@sg ret s1 ret=7 errno=0 t0=1000000000000 t1=1001000000000 key=42 nsems=2 flg=1440\n";
const std::string kVals = "@@sg vals s1 getall_ret=0 getall_errno=0 n=2 nonzero=0 first_nonzero=-1 sampled=2 "
                          "pid_nonzero=0 ncnt_nonzero=0 zcnt_nonzero=0 ctl_errors=0\n";
const std::string kProc = "@@sg proc s1 42 7 640 2 0 0 0 0 0 1000\n";

std::string stat(const std::string& otime) {
    return "@@sg stat s1 ret=0 errno=0 key=42 uid=0 gid=0 cuid=0 cgid=0 mode=416 seq=0 nsems=2 otime=" + otime +
           " ctime=1000\n";
}

Verdict run(const std::string& body, const std::string& status = "exit:0") {
    static Case c = created_case();
    return judge(c, Observation::parse(body, status), Facts::parse("mode=ipc"));
}

}  // namespace

TEST_CASE("a new set whose every field is right passes", "[judge]") {
    Verdict v = run(kIdentity + kRet + stat("0") + kVals + kProc);
    INFO(v.reason);
    CHECK(v.outcome == "pass");
    CHECK(v.checks.size() > 20);
}

TEST_CASE("a field left as the fill pattern fails with expected and observed", "[judge]") {
    Verdict v = run(kIdentity + kRet + stat("-6510615555426900571") + kVals + "@@sg proc s1 42 7 640 2 0 0 0 0 -6510615555426900571 1000\n");
    CHECK(v.outcome == "fail");
    CHECK(v.reason == "s1: sem_otime is 0 (D8): expected 0, observed -6510615555426900571");
}

TEST_CASE("a wrong mode, a non-zero value and a missing /proc row each fail", "[judge]") {
    std::string wrong_mode = stat("0");
    wrong_mode.replace(wrong_mode.find("mode=416"), 8, "mode=420");
    CHECK(run(kIdentity + kRet + wrong_mode + kVals + kProc).reason.find("sem_perm.mode") != std::string::npos);
    std::string vals = kVals;
    vals.replace(vals.find(" nonzero=0"), 10, " nonzero=1");
    CHECK(run(kIdentity + kRet + stat("0") + vals + kProc).reason.find("(D11)") != std::string::npos);
    CHECK(run(kIdentity + kRet + stat("0") + kVals + "@@sg proc s1 missing\n").outcome == "fail");
}

TEST_CASE("garbage from the worker is an error naming the record", "[judge]") {
    std::string bad = stat("0");
    bad.replace(bad.find("cuid=0"), 6, "cuid=zz");
    Verdict v = run(kIdentity + kRet + bad + kVals + kProc);
    CHECK(v.outcome == "error");
    CHECK(v.reason == "garbage from the worker: worker record 'stat s1' has garbage in cuid: 'zz'");
}

TEST_CASE("every way a case can end is classified", "[judge]") {
    CHECK(run("", "timeout").outcome == "timeout");
    CHECK(run("", "hung: the worker sent nothing for 100 ms").outcome == "timeout");
    CHECK(run("", "signal:11").outcome == "crash");
    CHECK(run("", "signal:11").reason == "the case's process died of signal 11");
    CHECK(run("", "signal:31").outcome == "unsupported");
    CHECK(run("", "garbled: checksum").outcome == "error");
    CHECK(run("", "lost: the worker exited before reporting this case").outcome == "error");
    CHECK(run("@@sg broken alice setresuid EPERM\n").reason == "setup broke: alice setresuid EPERM");
    CHECK(run(kIdentity).outcome == "error");  // no observation of the call at all
    CHECK(run(kIdentity + "@@sg ret s1 ret=-1 errno=ENOSYS t0=1 t1=2 key=42 nsems=2 flg=1440\n").outcome == "unsupported");
    CHECK(run(kIdentity + "@@sg ret s1 ret=-1 errno=EACCES t0=1 t1=2 key=42 nsems=2 flg=1440\n").reason ==
          "s1: creates a set: expected a new id, observed -1 with EACCES");
}
