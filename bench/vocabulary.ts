/**
 * Windows process vocabulary for the bench: tools attackers and administrators run, parents,
 * command-line fragments and benign software, in the proportions real fleets show.
 */
export const LOLBINS = [
  "certutil.exe", "bitsadmin.exe", "mshta.exe", "regsvr32.exe", "rundll32.exe", "wmic.exe", "powershell.exe", "pwsh.exe", "cmd.exe",
  "schtasks.exe", "reg.exe", "sc.exe", "net.exe", "net1.exe", "nltest.exe", "whoami.exe", "msiexec.exe", "cscript.exe", "wscript.exe",
  "installutil.exe", "msbuild.exe", "regasm.exe", "regsvcs.exe", "odbcconf.exe", "forfiles.exe", "pcalua.exe", "bash.exe", "curl.exe",
  "tar.exe", "expand.exe", "extrac32.exe", "findstr.exe", "esentutl.exe", "ntdsutil.exe", "vssadmin.exe", "wbadmin.exe", "bcdedit.exe",
  "fsutil.exe", "icacls.exe", "takeown.exe", "attrib.exe", "cmstp.exe", "control.exe", "eventvwr.exe", "fodhelper.exe", "hh.exe",
  "ieexec.exe", "makecab.exe", "mavinject.exe", "mmc.exe", "msdt.exe", "netsh.exe", "nslookup.exe", "ping.exe", "qwinsta.exe",
  "rasautou.exe", "replace.exe", "rpcping.exe", "runonce.exe", "sdbinst.exe", "tasklist.exe", "taskkill.exe", "tracert.exe",
  "wevtutil.exe", "wusa.exe", "xcopy.exe", "robocopy.exe", "diskshadow.exe", "dnscmd.exe", "dsquery.exe", "csvde.exe", "ldifde.exe",
  "klist.exe", "quser.exe", "query.exe", "systeminfo.exe", "hostname.exe", "arp.exe", "route.exe", "ipconfig.exe", "nbtstat.exe",
  "cmdkey.exe", "winrs.exe", "wsmprovhost.exe", "scriptrunner.exe", "presentationhost.exe", "dfsvc.exe", "ftp.exe", "finger.exe",
  "desktopimgdownldr.exe", "mpcmdrun.exe", "appvlp.exe", "atbroker.exe", "bginfo.exe", "cdb.exe", "csi.exe", "dnx.exe", "dxcap.exe",
  "mftrace.exe", "msdeploy.exe", "sqldumper.exe", "sqlps.exe", "te.exe", "tracker.exe", "vsjitdebugger.exe", "wfc.exe", "wmiprvse.exe",
];

export const THIRD_PARTY = [
  "anydesk.exe", "teamviewer.exe", "adfind.exe", "rclone.exe", "7z.exe", "7za.exe", "winrar.exe", "rar.exe", "procdump.exe", "procdump64.exe",
  "psexec.exe", "psexec64.exe", "paexec.exe", "mimikatz.exe", "nanodump.exe", "sharphound.exe", "rubeus.exe", "seatbelt.exe", "lazagne.exe",
  "advanced_ip_scanner.exe", "advanced_port_scanner.exe", "netscan.exe", "nmap.exe", "plink.exe", "putty.exe", "winscp.exe", "ngrok.exe",
  "chisel.exe", "ligolo.exe", "frpc.exe", "cloudflared.exe", "screenconnect.clientservice.exe", "atera_agent.exe", "splashtop.exe",
  "remcos.exe", "nircmd.exe", "nsudo.exe", "advancedrun.exe", "pchunter64.exe", "processhacker.exe", "gmer.exe", "defendercontrol.exe",
];

export const OFFICE_AND_SERVERS = [
  "winword.exe", "excel.exe", "powerpnt.exe", "outlook.exe", "msaccess.exe", "mspub.exe", "onenote.exe", "w3wp.exe", "sqlservr.exe",
  "httpd.exe", "nginx.exe", "tomcat9.exe", "php-cgi.exe", "java.exe", "javaw.exe", "umworkerprocess.exe", "wmiprvse.exe", "mshta.exe",
  "acrord32.exe", "foxitreader.exe", "teams.exe", "slack.exe", "zoom.exe", "chrome.exe", "msedge.exe", "firefox.exe", "iexplore.exe",
];

export const CLI_FRAGMENTS = [
  " -enc ", " -encodedcommand ", "downloadstring", "downloadfile", "iex(", "invoke-expression", "-urlcache", "/transfer", "delete shadows",
  "shadowcopy delete", "add-mppreference", "-exclusionpath", "sekurlsa", "/node:", "process call create", "http://", "https://",
  "\\appdata\\local\\temp\\", "\\users\\public\\", "ntds.dit", "lsass", "comsvcs.dll", "minidump", ".ps1", "-executionpolicy bypass",
  "-windowstyle hidden", "frombase64string", "net.webclient", "start-bitstransfer", "invoke-webrequest", "/create /sc ", "/ru system",
  "add hklm\\", "\\currentversion\\run", "\\image file execution options\\", "disableantispyware", "set-mppreference", "-disablerealtimemonitoring",
  "/c ping 127.0.0.1", "vssadmin resize shadowstorage", "wmic shadowcopy", "bcdedit /set", "recoveryenabled no", "wevtutil cl",
  "clear-eventlog", "/domain", "domain admins", "enterprise admins", "trustedDomain", "objectcategory=computer", "sharphound",
  "-computername", "invoke-mimikatz", "privilege::debug", "lsadump::", "kerberos::", "-dumpcreds", "reg save hklm\\sam", "reg save hklm\\system",
  "javascript:", "vbscript:", "mshtml,runhtmlapplication", "scrobj.dll", "/i:http", "regsvr32 /s /n /u", "dllregisterserver", "\\\\127.0.0.1\\",
  "-nop -w hidden", "-noni -nop -enc", "[system.convert]::", "gzipstream", "memorystream", "reflection.assembly", "::load(", "-verb runas",
  "curl -o", "curl --output", "wget ", "certreq -post", "expand -r", "makecab", "extrac32 /y", "esentutl /y", "/vss", "ntdsutil \"ac i ntds\"",
  "ifm", "create full", "pastebin.com", "raw.githubusercontent.com", "transfer.sh", "anonfiles", "ngrok.io", "trycloudflare.com",
];

export const INTEGRITY = ["Low", "Medium", "High", "System"];

export const TACTICS = [
  ["execution", ["t1059.001", "t1059.003", "t1059.005", "t1059.007", "t1204.002", "t1047", "t1053.005"]],
  ["defense-evasion", ["t1218.005", "t1218.010", "t1218.011", "t1218.007", "t1027", "t1140", "t1562.001", "t1070.001", "t1036.005", "t1127.001"]],
  ["persistence", ["t1547.001", "t1543.003", "t1053.005", "t1505.003", "t1546.012"]],
  ["credential-access", ["t1003.001", "t1003.002", "t1003.003", "t1558.003", "t1555"]],
  ["discovery", ["t1082", "t1087.002", "t1018", "t1016", "t1033", "t1069.002", "t1482"]],
  ["command-and-control", ["t1105", "t1071.001", "t1090", "t1219", "t1572"]],
  ["impact", ["t1490", "t1489", "t1485"]],
  ["lateral-movement", ["t1021.002", "t1021.006", "t1570"]],
] as const;

/** Benign process starts: [parent, image, command line template]. `{u}` is a user name, `{n}` a number, `{g}` a GUID. */
export const BENIGN: [string, string, string][] = [
  ["C:\\Windows\\System32\\services.exe", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule"],
  ["C:\\Windows\\System32\\services.exe", "C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted -p -s Dhcp"],
  ["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe {{g}}"],
  ["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding"],
  ["C:\\Windows\\explorer.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --display-capture-permissions-policy-allowed --no-pre-read-main-dll --video-capture-use-gpu-memory-buffer --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id={n} --time-ticks-at-unix-epoch=-1731142000{n} --launch-time-ticks=8211{n} --field-trial-handle=2024,i,{n},{n},262144 --variations-seed-version=20261109-050041.171000 --mojo-platform-channel-handle=5904 /prefetch:1"],
  ["C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=2232 --field-trial-handle=2024,i,{n},{n},262144 /prefetch:11"],
  ["C:\\Windows\\explorer.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\{u}\\Documents\\Quarterly report {n}.docx\" /o \"\""],
  ["C:\\Windows\\explorer.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" "],
  ["C:\\Windows\\System32\\services.exe", "C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\system32\\msiexec.exe /V"],
  ["C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\System32\\MsiExec.exe -Embedding 4F2{n}B7C1E0D3A5F8C9B2D1E0F3A4B5 E Global\\MSI0000"],
  ["C:\\Windows\\System32\\cmd.exe", "C:\\Windows\\System32\\conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"],
  ["C:\\Program Files\\Microsoft VS Code\\Code.exe", "C:\\Program Files\\Git\\cmd\\git.exe", "\"C:\\Program Files\\Git\\cmd\\git.exe\" -c core.quotepath=false -c color.ui=false status -z -uall"],
  ["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\backgroundTaskHost.exe", "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:App.AppXmtcan0h2tfbfy7k9kmwz4y5ph1zmqkr8.mca"],
  ["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\RuntimeBroker.exe", "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding"],
  ["C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe", "C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe", "\"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe\" /ua /installsource scheduler"],
  ["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\sppsvc.exe", "C:\\Windows\\system32\\sppsvc.exe"],
  ["C:\\Windows\\System32\\services.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe", "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe\""],
  ["C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\SearchProtocolHost.exe", "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe{n}_ Global\\UsGthrCtrlFltPipeMssGthrPipe{n} 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\""],
  ["C:\\Windows\\explorer.exe", "C:\\Windows\\System32\\notepad.exe", "\"C:\\Windows\\system32\\NOTEPAD.EXE\" C:\\Users\\{u}\\Desktop\\notes-{n}.txt"],
  ["C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -NoProfile -NonInteractive -Command Get-Service | Where-Object Status -eq Running | Select-Object -First {n}"],
];

export const LINUX_BENIGN: [string, string, string][] = [
  ["/usr/lib/systemd/systemd", "/usr/sbin/cron", "/usr/sbin/cron -f -P"],
  ["/usr/sbin/cron", "/bin/sh", "/bin/sh -c command -v debian-sa1 > /dev/null && debian-sa1 1 1"],
  ["/usr/bin/bash", "/usr/bin/ls", "ls --color=auto -la /var/log"],
  ["/usr/bin/bash", "/usr/bin/git", "git pull --ff-only origin main"],
  ["/usr/lib/systemd/systemd", "/usr/bin/python3.11", "/usr/bin/python3.11 /usr/bin/unattended-upgrade --download-only"],
  ["/usr/sbin/sshd", "/usr/bin/bash", "-bash"],
  ["/usr/bin/containerd-shim-runc-v2", "/usr/local/bin/node", "node /app/server.js --port 3000"],
  ["/usr/sbin/nginx", "/usr/sbin/nginx", "nginx: worker process"],
];
