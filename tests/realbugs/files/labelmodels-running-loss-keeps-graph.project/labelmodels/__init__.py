from .hmm import HMM
from .label_model import LearningConfig
from .linked_hmm import LinkedHMM
from .naive_bayes import NaiveBayes
