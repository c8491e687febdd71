// A tiny command-line front end to our SigV4 signer, so tests/s3/test_sigv4_botocore.py
// can compare it with botocore for the same inputs. Reads tab-separated lines on stdin:
//   method GET | path /bucket/key | query NAME VALUE | header NAME VALUE |
//   payload_hash HEX | amz_date 20130524T000000Z | region R | service S |
//   access_key K | secret_key S | session_token T
// and prints the Authorization header, then the canonical request after a blank line.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "backend/s3_sigv4.hpp"

int main() {
  using namespace infinitree::s3;
  SigningInput in;
  Credentials creds;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '\t')) f.push_back(part);
    if (f.empty()) continue;
    const std::string& k = f[0];
    std::string v1 = f.size() > 1 ? f[1] : "", v2 = f.size() > 2 ? f[2] : "";
    if (k == "method") in.method = v1;
    else if (k == "path") in.path = v1;
    else if (k == "query") in.query.emplace_back(v1, v2);
    else if (k == "header") in.headers.emplace_back(v1, v2);
    else if (k == "payload_hash") in.payload_hash = v1;
    else if (k == "amz_date") in.amz_date = v1;
    else if (k == "region") in.region = v1;
    else if (k == "service") in.service = v1;
    else if (k == "access_key") creds.access_key_id = v1;
    else if (k == "secret_key") creds.secret_access_key = v1;
    else if (k == "session_token") creds.session_token = v1;
    else {
      std::cerr << "unknown field: " << k << "\n";
      return 2;
    }
  }
  try {
    std::cout << authorization_header(in, creds) << "\n\n" << canonical_request(in) << "\n";
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
