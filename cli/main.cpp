// infinitree: the command-line tool over the C++ API. Parses the command line, runs one
// subcommand, and turns every failure into a message on stderr and a documented exit code
// (exit_codes.hpp).
#include <cstdio>
#include <exception>
#include <iostream>
#include <filesystem>
#include <new>

#include "commands.hpp"
#include "exit_codes.hpp"

using namespace infinitree;
using namespace infinitree::cli;


int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    int code = run_command_line(args);
    std::cout.flush();
    return code;
  } catch (const UsageError& e) {
    std::cerr << "infinitree: " << e.what() << "\n(see `infinitree --help`)\n";
    return kUsage;
  } catch (const Error& e) {
    // The library's messages usually start with the code's name already; avoid repeating it.
    std::string what = e.what(), name = errc_name(e.code());
    if (what.rfind(name, 0) == 0) std::cerr << "infinitree: " << what << "\n";
    else std::cerr << "infinitree: " << name << ": " << what << "\n";
    return exit_code_for(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "infinitree: out of memory\n";
    return kInternal;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "infinitree: " << e.what() << "\n";
    return e.code() == std::errc::no_such_file_or_directory ? kNotFound : kLocalIo;
  } catch (const std::exception& e) {
    std::cerr << "infinitree: internal error: " << e.what() << "\n";
    return kInternal;
  }
}
