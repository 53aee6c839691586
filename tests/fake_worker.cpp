// A worker that misbehaves on purpose, chosen by FAKE_WORKER: the runner must turn each misbehaviour into a
// clear error, timeout or crash, never into a pass.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unistd.h>

int main() {
    const std::string how = std::getenv("FAKE_WORKER") ? std::getenv("FAKE_WORKER") : "";
    std::string line;
    if (how == "noready") {
        std::cout << "booting the fake kernel...\npanic: no init\n" << std::flush;
        return 1;
    }
    std::cout << "@@sg ready v=1\n" << std::flush;
    std::getline(std::cin, line);  // config
    if (how == "nohello") {
        std::cout << "booting the fake kernel...\npanic: no init\n" << std::flush;
        return 1;
    }
    if (how == "badversion") {
        std::cout << "@@sg hello v=9 mode=ipc sysv=1\n" << std::flush;
        return 0;
    }
    const char* sysv = how == "nosysv" ? "0" : "1";  // a system whose semget answers ENOSYS
    std::cout << "console noise before hello\n@@sg hello v=1 arch=fake release=0.0 euid=0 mode=ipc limits_writable=1 "
                 "sysv=" << sysv << " sem_next_id=1 entries=libc long_bits=64\n"
              << std::flush;
    int cases = 0;
    while (std::getline(std::cin, line) && line.find("@@sg go") == std::string::npos)
        cases += line.find("@@sg case ") != std::string::npos;
    if (how == "crash") abort();
    if (how == "hang") pause();
    if (how == "noise")  // console noise every 0.5 s must not keep a hung worker alive
        for (;;) std::cout << "still booting...\n" << std::flush, usleep(500000);
    if (how == "endless")  // a line that never ends must not grow the runner's memory without bound
        for (std::string x(65536, 'x');;) std::cout << x << std::flush;
    for (int i = 0; i < cases; ++i) {
        if (how == "garbage")  // a frame whose checksum does not match its body
            std::cout << "@@sg begin " << i << "\n@@sg ret s1 ret=0 errno=0\n@@sg done " << i
                      << " status=exit:0 lines=1 fnv=12345\n";
        if (how == "stray") std::cout << "@@sg this is not the protocol\n";
        if (how == "hung" || how == "bindless") {  // well framed, but a status or record the protocol lacks
            const std::string body = how == "hung" ? "@@sg ret s1 ret=0 errno=0\n" : "@@sg bind s1 key=5\n";
            unsigned long long h = 1469598103934665603ull;
            for (unsigned char c : body) h = (h ^ c) * 1099511628211ull;
            std::cout << "@@sg begin " << i << "\n" << body << "@@sg done " << i << " status="
                      << (how == "hung" ? "hung" : "exit:0") << " lines=1 fnv=" << h << " ms=1\n";
        }
    }
    std::cout << "@@sg bye\n" << std::flush;
}
