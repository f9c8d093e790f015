from claimmap.cli.main import main

main()
