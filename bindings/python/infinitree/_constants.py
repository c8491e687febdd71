"""The numeric constants of include/infinitree.h that this package uses, spelled as there.

ctypes cannot read a C header, so these are copies; tests/capi/check_binding_constants.py
(run by ctest) fails if any differs from the header or if the header gains one that is
missing here. This module imports nothing, so any module of the package may import it.
"""

# it_status: 0 is success, IT_DONE a cursor past either end, negative codes failures.
IT_DONE = 1
IT_OK = 0
IT_EINVAL = -1
IT_ENOTFOUND = -2
IT_EMISSING = -3
IT_ETRUNCATED = -4
IT_ECORRUPT = -5
IT_EIO = -6
IT_EPERM = -7
IT_ECREDENTIALS = -8
IT_EEXISTS = -9
IT_ELOCKED = -10
IT_ETOOLARGE = -11
IT_ECLOSED = -12
IT_EVERSION = -13
IT_ENOMEM = -14
IT_ENETWORK = -15
IT_EREMOTEAUTH = -16
IT_ECONFLICT = -17
IT_EREADONLY = -18
IT_EINTERNAL = -19
IT_EREMOTE = -20
IT_ENOSPC = -21

# Limits.
IT_MAX_KEY_SIZE = 64 * 1024
IT_MAX_VALUE_SIZE = 1 << 30
IT_MAX_NAME_SIZE = 255

# Default Argon2id costs.
IT_KDF_DEFAULT_MEMORY_KIB = 65536
IT_KDF_DEFAULT_ITERATIONS = 3
IT_KDF_DEFAULT_PARALLELISM = 4

# Versions of the structs the library fills.
IT_STATS_VERSION = 1
IT_STREAM_STATS_VERSION = 1
IT_SPACE_REPORT_VERSION = 1

# it_s3_addressing
IT_S3_ADDRESSING_AUTO = 1
IT_S3_ADDRESSING_PATH = 2
IT_S3_ADDRESSING_VIRTUAL = 3

# it_compression
IT_COMPRESSION_NONE = 1
IT_COMPRESSION_LZ4 = 2
IT_COMPRESSION_ZSTD = 3

# it_field_type
IT_FIELD_MAP = 1
IT_FIELD_SET = 2
IT_FIELD_LIST = 3
IT_FIELD_VALUE = 4

# it_log_filter
IT_LOG_ALL = 1
IT_LOG_SINGLE = 2
IT_LOG_UP_TO = 3
IT_LOG_RANGE = 4

# it_key_type
IT_KEY_NULL = 1
IT_KEY_BYTES = 2
IT_KEY_STR = 3
IT_KEY_INT = 4
IT_KEY_UINT = 5
IT_KEY_DOUBLE = 6
IT_KEY_BOOL = 7
IT_KEY_TIME = 8

# it_bound
IT_BOUND_NONE = 1
IT_BOUND_CLOSED = 2
IT_BOUND_OPEN = 3

# Key slots and raw keys
IT_RAW_KEY_SIZE = 32
IT_MAX_KEY_SLOTS = 16
IT_MAX_KEY_SLOT_LABEL_SIZE = 64

# it_key_slot_kind
IT_KEY_SLOT_PASSWORD = 1
IT_KEY_SLOT_RAW_KEY = 2
