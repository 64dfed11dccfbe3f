#!/bin/sh
# stands in for QEMU: libxl waits for it, and meanwhile the domain (and its stored configuration) exists
sleep 45
