// lmlab — the executable: hands the command line to LabCLI.
import LabCLI

LMLab.main()
