-- Bright Antivirus licence activation (example attachment of the deploy [MAC] component).
-- rmmkit runs: osascript licence.applescript <16-character key>; nothing here writes the key to a log.
on run argv
	set licenceKey to item 1 of argv
	do shell script quoted form of "/Applications/Bright Antivirus.app/Contents/MacOS/bvcmd" & " --activate " & quoted form of licenceKey
end run
