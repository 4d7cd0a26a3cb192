// gee: the Glue Encryption Emulator command-line entry point.
#include <cstdio>

int main() {
  std::puts("gee " GEE_VERSION);
  return 0;
}
