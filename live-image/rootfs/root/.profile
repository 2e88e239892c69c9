# shodo live system: root's login shell
[ -f ~/.bashrc ] && . ~/.bashrc
export LANG=C.UTF-8
case $(tty) in
/dev/tty1)
	# the front end (or the unattended run) on the first console
	/usr/lib/shodo/shodo-console
	;;
/dev/tty[2-9])
	cat /usr/lib/shodo/motd 2>/dev/null
	;;
esac
