cd /root/cfg
for f in mgr vtpm guest desk iomemc; do echo "=== create -n $f"; xl create -n $f.cfg; echo "rc=$?"; done
echo "=== vtpm-list Domain-0 nosuch"; xl vtpm-list Domain-0 nosuch; echo "rc=$?"
echo "=== vtpm-attach nosuch"; xl vtpm-attach nosuch; echo "rc=$?"
echo "=== vtpm-attach bad uuid"; xl vtpm-attach Domain-0 uuid=bad; echo "rc=$?"
echo "=== vtpm-attach bad arg"; xl vtpm-attach Domain-0 colour=red; echo "rc=$?"
echo "=== vtpm-attach nosuch backend"; xl vtpm-attach Domain-0 backend=nosuch; echo "rc=$?"
echo "=== vtpm-detach Domain-0 7"; xl vtpm-detach Domain-0 7; echo "rc=$?"
echo "=== create iomemc (vtpm backend missing)"; xl create iomemc.cfg; echo "rc=$?"; xl list
echo "=== create iomemok"; xl create iomemok.cfg; echo "rc=$?"
echo "=== list -l iomemok"; xl list -l iomemok
echo "=== vtpm-attach iomemok backend=Domain-0 (no tpmback in dom0)"; timeout 60 xl vtpm-attach iomemok backend=Domain-0 uuid=6c3ff5f1-8d58-4fed-b00d-a5ea9a817f7f; echo "rc=$?"
echo "=== vtpm-list iomemok"; xl vtpm-list iomemok; echo "rc=$?"
echo "=== list -l iomemok after attach"; xl list -l iomemok | grep -A8 vtpms
echo "=== xenstore vtpm"; xenstore-ls -f /local/domain/0/backend/vtpm 2>&1 | head -20; xenstore-ls -f /libxl/$(xl domid iomemok)/device/vtpm 2>&1 | head
echo "=== vtpm-detach iomemok 0"; timeout 60 xl vtpm-detach iomemok 0; echo "rc=$?"; xl vtpm-list iomemok
xl destroy iomemok; echo "=== end"
