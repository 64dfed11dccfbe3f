cd /root/cfg
for f in pvvfb hvmvnc; do
  echo "=== create $f (fake QEMU, in the background)"
  xl create $f.cfg > /root/cfg/$f.create.log 2>&1 &
  pid=$!
  sleep 12
  echo "=== xl list"; xl list
  echo "=== xl list -l $f (passwd lines)"; xl list -l $f | grep -n -B4 -A2 passwd
  echo "=== userdata files"; ls -l /var/lib/xen/userdata-d.* 2>&1; grep -l passwd /var/lib/xen/userdata-d.* 2>&1
  echo "=== xenstore vncpasswd"; for d in $(xl list | awk 'NR>2{print $2}'); do xenstore-ls -f /local/domain/$d 2>/dev/null | grep -i "pass"; done; xenstore-ls -f /vm 2>/dev/null | grep -i pass
  wait $pid; echo "=== create $f rc=$?"; cat /root/cfg/$f.create.log
  xl destroy $f 2>/dev/null
done
echo "=== end"
