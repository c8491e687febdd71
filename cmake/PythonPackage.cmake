# The Python package's wheel (bindings/python/pyproject.toml, built by scikit-build-core): the
# C library goes into the package folder under its soname, libinfinitree.so.0, where
# infinitree/_lib.py looks first after INFINITREE_LIBRARY. Wheels cannot hold symlinks, so the
# one real file is installed under the name the loader and the dynamic linker use.
# Only this component is installed into the wheel (install.components = ["python"]).
install(FILES $<TARGET_FILE:infinitree>
        DESTINATION infinitree
        RENAME libinfinitree.so.${INFINITREE_SOVERSION}
        PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE
        COMPONENT python)
