// lmlab — the executable: hands the command line to LabCLI.
import LabCLI

LMLabMain.main()
